package dev.golemsandbox.payment;

import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.EventLog;
import dev.golemsandbox.http.IsoTime;
import dev.golemsandbox.http.LongPoll;
import dev.golemsandbox.market.RequestorSessions;
import java.math.BigDecimal;
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
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requestor's side of payments: its allocations, the debit notes and invoices the providers
 * send it (through {@link DocumentInbox}), what it accepts or rejects of them, and the event feeds
 * that announce them. A document is stored before its event is announced, so every event can be
 * followed by a GET. No money moves: accepting a document only spends from the allocation what
 * yagna would schedule for payment (a debit note's total due less what its activity's earlier
 * notes accepted; an invoice's amount less what its agreement's notes accepted).
 *
 * <pre>{@code
 * Payment payment = new Payment(requestorId, sessions, timer);
 * AllocationView allocation = payment.createAllocation(new BigDecimal("1.25"), null, null, null, false);
 * payment.invoiceReceived(invoice);   // from a provider's billing
 * }</pre>
 *
 * <p>Thread-safe; usable until {@link #close()}.
 */
public final class Payment implements DocumentInbox, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Payment.class);
    private static final Pattern PLATFORM = Pattern.compile("[a-z0-9]+-[a-z0-9]+-[a-z0-9]+");

    private final String requestorId;
    private final RequestorSessions sessions;
    private final EventLog<PaymentEvent> invoiceEvents;
    private final EventLog<PaymentEvent> debitNoteEvents;
    private final Map<String, Allocation> allocations = new LinkedHashMap<>();
    private final Map<String, ReceivedDocument<Invoice>> invoices = new LinkedHashMap<>();
    private final Map<String, ReceivedDocument<DebitNote>> debitNotes = new LinkedHashMap<>();
    /** What the requestor has accepted to pay so far, per activity (its debit notes) and per agreement (all of them). */
    private final Map<String, BigDecimal> acceptedPerActivity = new HashMap<>();
    private final Map<String, BigDecimal> acceptedPerAgreement = new HashMap<>();

    /**
     * @param requestorId the requestor's node id, the default allocation address
     * @param sessions    where event polls are reported (requestor liveness)
     * @param timer       runs long-poll timeouts
     */
    public Payment(String requestorId, RequestorSessions sessions, ScheduledExecutorService timer) {
        this.requestorId = requestorId;
        this.sessions = sessions;
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
        ReceivedDocument<Invoice> invoice = invoiceOf(invoiceId);
        return invoice.document.view(invoice.status);
    }

    /** Invoices, oldest first, optionally only those issued after {@code after}. */
    public synchronized List<InvoiceView> invoices(Instant after, int max) {
        return invoices.values().stream().filter(i -> after == null || i.document.timestamp().isAfter(after)).limit(max)
                .map(i -> i.document.view(i.status)).toList();
    }

    /**
     * Accepts an invoice, spending from the allocation what the agreement's accepted debit notes
     * did not already (yagna's amount to pay). Accepting it again is a no-op.
     *
     * @throws ApiException.BadRequest with yagna's "Not enough funds" when the allocation holds less than that
     */
    public synchronized void acceptInvoice(String invoiceId, BigDecimal totalAccepted, String allocationId) {
        ReceivedDocument<Invoice> invoice = invoiceOf(invoiceId);
        Allocation allocation = live(allocationId);
        BigDecimal amount = invoice.document.amount();
        if (!Amounts.same(totalAccepted, amount)) {
            throw new ApiException.BadRequest("totalAmountAccepted " + totalAccepted.toPlainString()
                    + " is not the invoice's amount " + Amounts.format(amount));
        }
        if (invoice.status == DocumentStatus.ACCEPTED) {
            return;
        }
        String agreementId = invoice.document.agreementId();
        BigDecimal toPay = amount.subtract(acceptedPerAgreement.getOrDefault(agreementId, BigDecimal.ZERO)).max(BigDecimal.ZERO);
        spend(allocation, toPay);
        acceptedPerAgreement.merge(agreementId, toPay, BigDecimal::add);
        invoice.status = DocumentStatus.ACCEPTED;
    }

    /** Spends {@code amount} from the allocation, or refuses as yagna does when it holds less. */
    private static void spend(Allocation allocation, BigDecimal amount) {
        if (allocation.remaining().compareTo(amount) < 0) {
            throw new ApiException.BadRequest("Not enough funds. Allocated: " + Amounts.format(allocation.remaining())
                    + " Needed: " + Amounts.format(amount));
        }
        allocation.spent = allocation.spent.add(amount);
    }

    public synchronized void rejectInvoice(String invoiceId) {
        ReceivedDocument<Invoice> invoice = invoiceOf(invoiceId);
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
        ReceivedDocument<DebitNote> note = debitNoteOf(debitNoteId);
        return note.document.view(note.status);
    }

    public synchronized List<DebitNoteView> debitNotes(Instant after, int max) {
        return debitNotes.values().stream().filter(d -> after == null || d.document.timestamp().isAfter(after)).limit(max)
                .map(d -> d.document.view(d.status)).toList();
    }

    /**
     * Accepts a debit note, spending from the allocation what its activity's earlier accepted
     * notes did not (the total due is cumulative). Accepting it again is a no-op.
     *
     * @throws ApiException.BadRequest with yagna's "Not enough funds" when the allocation holds less than that
     */
    public void acceptDebitNote(String debitNoteId, BigDecimal totalAccepted, String allocationId) {
        ReceivedDocument<DebitNote> note;
        synchronized (this) {
            note = debitNoteOf(debitNoteId);
            Allocation allocation = live(allocationId);
            BigDecimal due = note.document.totalDue();
            if (!Amounts.same(totalAccepted, due)) {
                throw new ApiException.BadRequest("totalAmountAccepted " + totalAccepted.toPlainString()
                        + " is not the debit note's totalAmountDue " + Amounts.format(due));
            }
            if (note.status == DocumentStatus.ACCEPTED) {
                return;
            }
            String activityId = note.document.activityId();
            BigDecimal toPay = due.subtract(acceptedPerActivity.getOrDefault(activityId, BigDecimal.ZERO)).max(BigDecimal.ZERO);
            spend(allocation, toPay);
            acceptedPerActivity.merge(activityId, toPay, BigDecimal::add);
            acceptedPerAgreement.merge(note.document.agreementId(), toPay, BigDecimal::add);
            note.status = DocumentStatus.ACCEPTED;
        }
        note.answer.complete(DocumentAnswer.ACCEPTED);
    }

    /** Rejects a debit note; its provider hears why (and breaks the agreement, as ya-provider does). */
    public void rejectDebitNote(String debitNoteId, Rejection rejection) {
        ReceivedDocument<DebitNote> note;
        synchronized (this) {
            note = debitNoteOf(debitNoteId);
            if (note.status == DocumentStatus.ACCEPTED) {
                throw new ApiException.Conflict("debit note " + debitNoteId + " is already ACCEPTED; an accepted debit note cannot be rejected");
            }
            note.status = DocumentStatus.REJECTED;
        }
        note.answer.complete(DocumentAnswer.rejected(rejection));
    }

    public CompletableFuture<List<PaymentEvent>> debitNoteEvents(LongPoll poll) {
        sessions.pollStarted(poll.appSessionId());
        return debitNoteEvents.poll(poll).whenComplete((events, error) -> sessions.pollEnded(poll.appSessionId()));
    }

    // ---------------------------------------------------------------- documents from providers

    @Override
    public CompletableFuture<DocumentAnswer> debitNoteReceived(DebitNote note) {
        ReceivedDocument<DebitNote> received = new ReceivedDocument<>(note);
        synchronized (this) {
            ReceivedDocument<DebitNote> before = debitNotes.putIfAbsent(note.id(), received);
            if (before != null) {
                LOG.warn("debit note {} of agreement {} arrived twice; the second is ignored", note.id(), note.agreementId());
                return before.answer.copy();
            }
        }
        debitNoteEvents.append(note.appSessionId(), date -> PaymentEvent.debitNoteReceived(IsoTime.format(date), note.id()));
        return received.answer.copy();
    }

    @Override
    public void invoiceReceived(Invoice invoice) {
        synchronized (this) {
            if (invoices.putIfAbsent(invoice.id(), new ReceivedDocument<>(invoice)) != null) {
                LOG.warn("invoice {} of agreement {} arrived twice; the second is ignored", invoice.id(), invoice.agreementId());
                return;
            }
        }
        invoiceEvents.append(invoice.appSessionId(), date -> PaymentEvent.invoiceReceived(IsoTime.format(date), invoice.id()));
        LOG.info("invoice {} of {} GLM for agreement {} ({} activities)", invoice.id(), Amounts.format(invoice.amount()),
                invoice.agreementId(), invoice.activityIds().size());
    }

    @Override
    public void close() {
        invoiceEvents.close();
        debitNoteEvents.close();
    }

    // ---------------------------------------------------------------- internals

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

    private ReceivedDocument<Invoice> invoiceOf(String invoiceId) {
        ReceivedDocument<Invoice> invoice = invoices.get(invoiceId);
        if (invoice == null) {
            throw new ApiException.NotFound("invoice " + invoiceId + " not found");
        }
        return invoice;
    }

    private ReceivedDocument<DebitNote> debitNoteOf(String debitNoteId) {
        ReceivedDocument<DebitNote> note = debitNotes.get(debitNoteId);
        if (note == null) {
            throw new ApiException.NotFound("debit note " + debitNoteId + " not found");
        }
        return note;
    }
}
