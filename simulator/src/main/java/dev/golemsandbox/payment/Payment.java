package dev.golemsandbox.payment;

import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.EventLog;
import dev.golemsandbox.http.IsoTime;
import dev.golemsandbox.http.LongPoll;
import dev.golemsandbox.market.Agreement;
import dev.golemsandbox.market.AgreementListener;
import dev.golemsandbox.market.AgreementState;
import dev.golemsandbox.market.RequestorSessions;
import dev.golemsandbox.provider.Offer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment side of the sandbox: the requestor's allocations and the documents the simulated
 * providers send, priced by the agreed linear price and the usage the activity API measured.
 * Listens to the market ({@link AgreementListener}): while an activity runs under an agreement
 * that negotiated {@code golem.com.scheme.payu.debit-note.interval-sec?}, a debit note with the
 * total due so far comes every interval; when an agreement is terminated, one invoice for all its
 * activities follows at once. A document is stored before its event is announced, so every event
 * can be followed by a GET. No money moves: accepting an invoice only spends from the allocation.
 *
 * <pre>{@code
 * Payment payment = new Payment(requestorId, market.sessions(), activityApi, timer);
 * market.addListener(payment);
 * AllocationView allocation = payment.createAllocation(new BigDecimal("1.25"), null, null, null, false);
 * }</pre>
 *
 * <p>Thread-safe; usable until {@link #close()}.
 */
public final class Payment implements AgreementListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Payment.class);
    private static final Pattern PLATFORM = Pattern.compile("[a-z0-9]+-[a-z0-9]+-[a-z0-9]+");
    private static final Duration INVOICE_DUE = Duration.ofDays(1);

    private final String requestorId;
    private final RequestorSessions sessions;
    private final UsageSource usage;
    private final ScheduledExecutorService timer;
    private final EventLog<PaymentEvent> invoiceEvents;
    private final EventLog<PaymentEvent> debitNoteEvents;
    private final Map<String, Allocation> allocations = new LinkedHashMap<>();
    private final Map<String, Invoice> invoices = new LinkedHashMap<>();
    private final Map<String, DebitNote> debitNotes = new LinkedHashMap<>();
    private final Map<String, ScheduledFuture<?>> debitNoteSchedules = new HashMap<>();
    private final Map<String, String> lastDebitNote = new HashMap<>();
    private final Set<String> invoicedAgreements = new LinkedHashSet<>();

    /**
     * @param requestorId the requestor's node id, the default allocation address
     * @param sessions    where event polls are reported (requestor liveness)
     * @param usage       what activities used, measured by the activity API
     * @param timer       runs debit-note schedules and long-poll timeouts
     */
    public Payment(String requestorId, RequestorSessions sessions, UsageSource usage, ScheduledExecutorService timer) {
        this.requestorId = requestorId;
        this.sessions = sessions;
        this.usage = usage;
        this.timer = timer;
        this.invoiceEvents = new EventLog<>(timer);
        this.debitNoteEvents = new EventLog<>(timer);
    }

    // ---------------------------------------------------------------- allocations

    /**
     * A new allocation of {@code total} GLM on {@code platform} (null: erc20-holesky-tglm) for
     * {@code address} (null: the requestor's node id).
     */
    public synchronized AllocationView createAllocation(BigDecimal total, String platform, String address, Instant timeout,
                                                        boolean makeDeposit) {
        if (total.signum() < 0) {
            throw new ApiException.BadRequest("totalAmount cannot be negative, got " + total.toPlainString());
        }
        String chosen = platform == null ? "erc20-holesky-tglm" : platform;
        if (!PLATFORM.matcher(chosen).matches()) {
            throw new ApiException.BadRequest("paymentPlatform must look like <driver>-<network>-<token>, e.g. erc20-holesky-tglm; got '" + chosen + "'");
        }
        Allocation allocation = new Allocation(UUID.randomUUID().toString(), address == null ? requestorId : address.toLowerCase(),
                chosen, total, IsoTime.now(), timeout, makeDeposit);
        allocations.put(allocation.id, allocation);
        return allocation.view();
    }

    public synchronized List<AllocationView> allocations() {
        return allocations.values().stream().filter(a -> !a.released).map(Allocation::view).toList();
    }

    public synchronized AllocationView allocation(String allocationId) {
        return live(allocationId).view();
    }

    /** Changes the total and/or the timeout (null: unchanged). */
    public synchronized AllocationView amend(String allocationId, BigDecimal total, Instant timeout) {
        Allocation a = live(allocationId);
        if (total != null) {
            if (total.compareTo(a.spent) < 0) {
                throw new ApiException.BadRequest("totalAmount " + Amounts.format(total) + " is less than the "
                        + Amounts.format(a.spent) + " already spent from allocation " + allocationId);
            }
            a.total = total;
        }
        if (timeout != null) {
            a.timeout = timeout;
        }
        return a.view();
    }

    public synchronized void release(String allocationId) {
        Allocation a = allocations.get(allocationId);
        if (a == null) {
            throw new ApiException.NotFound("allocation " + allocationId + " not found");
        }
        if (a.released) {
            throw new ApiException.Gone("allocation " + allocationId + " was already released");
        }
        a.released = true;
    }

    /** The decorations of a demand paid from these allocations. */
    public synchronized Decoration decorations(List<String> allocationIds) {
        if (allocationIds.isEmpty()) {
            throw new ApiException.BadRequest("allocationIds is required: the ids of the allocations that pay for the demand");
        }
        List<Decoration.MarketProperty> properties = new ArrayList<>();
        List<String> constraints = new ArrayList<>();
        Set<String> platforms = new LinkedHashSet<>();
        for (String id : allocationIds) {
            Allocation a = live(id);
            if (platforms.add(a.platform)) {
                properties.add(new Decoration.MarketProperty("golem.com.payment.platform." + a.platform + ".address", a.address));
            }
        }
        properties.add(new Decoration.MarketProperty("golem.com.payment.protocol.version", "3"));
        if (platforms.size() == 1) {
            constraints.add("(golem.com.payment.platform." + platforms.iterator().next() + ".address=*)");
        } else {
            constraints.add(platforms.stream().map(p -> "(golem.com.payment.platform." + p + ".address=*)")
                    .reduce("(|", String::concat) + ")");
        }
        constraints.add("(golem.com.payment.protocol.version>1)");
        return new Decoration(properties, constraints);
    }

    // ---------------------------------------------------------------- invoices

    public synchronized InvoiceView invoice(String invoiceId) {
        return invoiceOf(invoiceId).view();
    }

    /** Invoices, oldest first, optionally only those issued after {@code after}. */
    public synchronized List<InvoiceView> invoices(Instant after, int max) {
        return invoices.values().stream().filter(i -> after == null || i.timestamp.isAfter(after)).limit(max).map(Invoice::view).toList();
    }

    /** Accepts an invoice, spending its amount from the allocation. Accepting it again is a no-op. */
    public synchronized void acceptInvoice(String invoiceId, BigDecimal totalAccepted, String allocationId) {
        Invoice invoice = invoiceOf(invoiceId);
        Allocation allocation = live(allocationId);
        if (!Amounts.same(totalAccepted, invoice.amount)) {
            throw new ApiException.BadRequest("totalAmountAccepted " + totalAccepted.toPlainString()
                    + " is not the invoice's amount " + Amounts.format(invoice.amount));
        }
        if (invoice.status == DocumentStatus.ACCEPTED) {
            return;
        }
        if (allocation.remaining().compareTo(invoice.amount) < 0) {
            throw new ApiException.Conflict("allocation " + allocationId + " has " + Amounts.format(allocation.remaining())
                    + " GLM left, the invoice asks for " + Amounts.format(invoice.amount));
        }
        allocation.spent = allocation.spent.add(invoice.amount);
        invoice.status = DocumentStatus.ACCEPTED;
    }

    public synchronized void rejectInvoice(String invoiceId) {
        Invoice invoice = invoiceOf(invoiceId);
        if (invoice.status == DocumentStatus.ACCEPTED) {
            throw new ApiException.Conflict("invoice " + invoiceId + " is already ACCEPTED; an accepted invoice cannot be rejected");
        }
        invoice.status = DocumentStatus.REJECTED;
    }

    public CompletableFuture<List<PaymentEvent>> invoiceEvents(LongPoll poll) {
        sessions.pollStarted(poll.appSessionId());
        return invoiceEvents.poll(poll).whenComplete((events, error) -> sessions.pollEnded(poll.appSessionId()));
    }

    // ---------------------------------------------------------------- debit notes

    public synchronized DebitNoteView debitNote(String debitNoteId) {
        return debitNoteOf(debitNoteId).view();
    }

    public synchronized List<DebitNoteView> debitNotes(Instant after, int max) {
        return debitNotes.values().stream().filter(d -> after == null || d.timestamp.isAfter(after)).limit(max).map(DebitNote::view).toList();
    }

    /** Acknowledges a debit note; nothing is spent (the invoice is what gets paid). Idempotent. */
    public synchronized void acceptDebitNote(String debitNoteId, BigDecimal totalAccepted, String allocationId) {
        DebitNote note = debitNoteOf(debitNoteId);
        live(allocationId);
        if (!Amounts.same(totalAccepted, note.totalDue)) {
            throw new ApiException.BadRequest("totalAmountAccepted " + totalAccepted.toPlainString()
                    + " is not the debit note's totalAmountDue " + Amounts.format(note.totalDue));
        }
        note.status = DocumentStatus.ACCEPTED;
    }

    public synchronized void rejectDebitNote(String debitNoteId) {
        DebitNote note = debitNoteOf(debitNoteId);
        if (note.status == DocumentStatus.ACCEPTED) {
            throw new ApiException.Conflict("debit note " + debitNoteId + " is already ACCEPTED; an accepted debit note cannot be rejected");
        }
        note.status = DocumentStatus.REJECTED;
    }

    public CompletableFuture<List<PaymentEvent>> debitNoteEvents(LongPoll poll) {
        sessions.pollStarted(poll.appSessionId());
        return debitNoteEvents.poll(poll).whenComplete((events, error) -> sessions.pollEnded(poll.appSessionId()));
    }

    // ---------------------------------------------------------------- market events

    @Override
    public void activityStarted(Agreement agreement, String activityId) {
        Duration interval = agreedInterval(agreement, Offer.DEBIT_NOTE_INTERVAL);
        if (interval == null) {
            return;
        }
        synchronized (this) {
            debitNoteSchedules.put(activityId, timer.scheduleAtFixedRate(() -> issueDebitNote(agreement, activityId),
                    interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    @Override
    public synchronized void activityStopped(Agreement agreement, String activityId) {
        ScheduledFuture<?> schedule = debitNoteSchedules.remove(activityId);
        if (schedule != null) {
            schedule.cancel(false);
        }
    }

    @Override
    public void terminated(Agreement agreement) {
        List<String> activities = agreement.activityIds();
        synchronized (this) {
            activities.forEach(id -> {
                ScheduledFuture<?> schedule = debitNoteSchedules.remove(id);
                if (schedule != null) {
                    schedule.cancel(false);
                }
            });
            if (!invoicedAgreements.add(agreement.agreementId())) {
                return;
            }
        }
        LinearPrice price = LinearPrice.of(agreement.offerProperties(), agreement.provider().spec().pricing());
        BigDecimal amount = BigDecimal.ZERO;
        for (String activityId : activities) {
            amount = amount.add(price.priceOf(usage.usageOf(activityId)));
        }
        Instant now = IsoTime.now();
        Invoice invoice = new Invoice(UUID.randomUUID().toString(), Parties.of(agreement), agreement.agreementId(),
                activities, amount, now, now.plus(INVOICE_DUE), agreement.appSessionId());
        synchronized (this) {
            invoices.put(invoice.id, invoice);
        }
        invoiceEvents.append(invoice.appSessionId, date -> PaymentEvent.invoiceReceived(IsoTime.format(date), invoice.id));
        LOG.info("invoice {} of {} GLM for agreement {} ({} activities)", invoice.id, Amounts.format(amount),
                agreement.agreementId(), activities.size());
    }

    @Override
    public void close() {
        synchronized (this) {
            debitNoteSchedules.values().forEach(s -> s.cancel(false));
            debitNoteSchedules.clear();
        }
        invoiceEvents.close();
        debitNoteEvents.close();
    }

    // ---------------------------------------------------------------- internals

    private void issueDebitNote(Agreement agreement, String activityId) {
        try {
            if (agreement.state() != AgreementState.Approved) {
                return;
            }
            LinearPrice price = LinearPrice.of(agreement.offerProperties(), agreement.provider().spec().pricing());
            ActivityUsage used = usage.usageOf(activityId);
            Duration paymentTimeout = agreedInterval(agreement, Offer.PAYMENT_TIMEOUT);
            Instant now = IsoTime.now();
            DebitNote note;
            synchronized (this) {
                if (!debitNoteSchedules.containsKey(activityId)) {
                    return;
                }
                note = new DebitNote(UUID.randomUUID().toString(), Parties.of(agreement), agreement.agreementId(), activityId,
                        lastDebitNote.get(activityId), price.priceOf(used), price.counters(used), now,
                        paymentTimeout == null ? null : now.plus(paymentTimeout), agreement.appSessionId());
                debitNotes.put(note.id, note);
                lastDebitNote.put(activityId, note.id);
            }
            debitNoteEvents.append(note.appSessionId, date -> PaymentEvent.debitNoteReceived(IsoTime.format(date), note.id));
        } catch (RuntimeException e) {
            LOG.error("issuing a debit note for activity {} failed", activityId, e);
        }
    }

    /** A whole number of seconds agreed in the offer's {@code property}, or null if not agreed. */
    private static Duration agreedInterval(Agreement agreement, String property) {
        return agreement.offerProperties().get(property) instanceof Number n && n.doubleValue() >= 1
                ? Duration.ofMillis(Math.round(n.doubleValue() * 1000)) : null;
    }

    private Allocation live(String allocationId) {
        Allocation a = allocations.get(allocationId);
        if (a == null) {
            throw new ApiException.NotFound("allocation " + allocationId + " not found");
        }
        if (a.released) {
            throw new ApiException.NotFound("allocation " + allocationId + " was released");
        }
        return a;
    }

    private Invoice invoiceOf(String invoiceId) {
        Invoice invoice = invoices.get(invoiceId);
        if (invoice == null) {
            throw new ApiException.NotFound("invoice " + invoiceId + " not found");
        }
        return invoice;
    }

    private DebitNote debitNoteOf(String debitNoteId) {
        DebitNote note = debitNotes.get(debitNoteId);
        if (note == null) {
            throw new ApiException.NotFound("debit note " + debitNoteId + " not found");
        }
        return note;
    }
}
