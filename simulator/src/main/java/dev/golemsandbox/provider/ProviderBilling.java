package dev.golemsandbox.provider;

import dev.golemsandbox.activity.ActivityUsage;
import dev.golemsandbox.activity.UsageMeter;
import dev.golemsandbox.http.IsoTime;
import dev.golemsandbox.market.Agreement;
import dev.golemsandbox.market.AgreementListener;
import dev.golemsandbox.market.AgreementState;
import dev.golemsandbox.market.BreakReason;
import dev.golemsandbox.market.Market;
import dev.golemsandbox.payment.DebitNote;
import dev.golemsandbox.payment.DocumentAnswer;
import dev.golemsandbox.payment.DocumentInbox;
import dev.golemsandbox.payment.Invoice;
import dev.golemsandbox.payment.Parties;
import dev.golemsandbox.payment.Rejection;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The billing of one simulated provider, listening to the market for its own agreements: while
 * an activity runs under an agreement that negotiated
 * {@code golem.com.scheme.payu.debit-note.interval-sec?}, a debit note with the total due so far
 * comes every interval; once the agreement is terminated, one invoice for all its activities
 * follows at once, whoever ended it. Both are priced by the agreed linear price and the usage the
 * activity API measured, and sent to the requestor's {@link DocumentInbox}. A debit note the
 * requestor rejects, or does not accept within the agreed
 * {@code golem.com.payment.debit-notes.accept-timeout?}, makes the provider break the agreement.
 *
 * <pre>{@code
 * for (SimulatedProvider provider : providers.all()) {
 *     market.addListener(new ProviderBilling(provider, payment, market, usageMeter, timer));
 * }
 * }</pre>
 *
 * <p>Thread-safe; {@link #close()} stops the debit-note schedules.
 */
public final class ProviderBilling implements AgreementListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderBilling.class);
    private static final Duration INVOICE_DUE = Duration.ofDays(1);
    private static final String ADDRESS = "golem.com.payment.platform.%s.address";

    private final SimulatedProvider provider;
    private final DocumentInbox requestor;
    private final Market market;
    private final UsageMeter usage;
    private final ScheduledExecutorService timer;
    private final BillingFaults faults;
    private final Map<String, ScheduledFuture<?>> debitNoteSchedules = new HashMap<>();
    private final Map<String, String> lastDebitNote = new HashMap<>();
    private final Set<String> invoicedAgreements = new HashSet<>();

    /**
     * @param provider  the provider whose agreements it bills; it ignores the others
     * @param requestor where the documents go
     * @param market    where the provider breaks an agreement whose debit notes go unaccepted
     * @param usage     what activities used, measured by the activity API
     * @param timer     runs the debit-note schedules and deadlines
     */
    public ProviderBilling(SimulatedProvider provider, DocumentInbox requestor, Market market, UsageMeter usage,
                           ScheduledExecutorService timer) {
        this(provider, requestor, market, usage, timer, BillingFaults.NONE);
    }

    /** The same, with billing failures injected by {@code faults}. */
    public ProviderBilling(SimulatedProvider provider, DocumentInbox requestor, Market market, UsageMeter usage,
                           ScheduledExecutorService timer, BillingFaults faults) {
        this.provider = provider;
        this.requestor = requestor;
        this.market = market;
        this.usage = usage;
        this.timer = timer;
        this.faults = faults;
    }

    @Override
    public void activityStarted(Agreement agreement, String activityId) {
        if (agreement.provider() != provider) {
            return;
        }
        Duration interval = faults.debitNoteStorm(provider.name(), activityId)
                .orElse(agreedInterval(agreement, Offer.DEBIT_NOTE_INTERVAL));
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
        if (agreement.provider() == provider) {
            cancelDebitNotes(activityId);
        }
    }

    @Override
    public void terminated(Agreement agreement) {
        if (agreement.provider() != provider) {
            return;
        }
        List<String> activities = agreement.activityIds();
        synchronized (this) {
            activities.forEach(this::cancelDebitNotes);
            if (!invoicedAgreements.add(agreement.agreementId())) {
                return;
            }
        }
        if (faults.withholdsInvoice(provider.name(), agreement.agreementId())) {
            LOG.info("Provider {} withholds the invoice of agreement {} (injected fault no-invoice)", provider.name(),
                    agreement.agreementId());
            return;
        }
        LinearPrice price = priceOf(agreement);
        BigDecimal amount = BigDecimal.ZERO;
        for (String activityId : activities) {
            amount = amount.add(price.priceOf(usageOf(agreement, activityId)));
        }
        Instant now = IsoTime.now();
        requestor.invoiceReceived(new Invoice(UUID.randomUUID().toString(), partiesOf(agreement), agreement.agreementId(),
                activities, amount, now, now.plus(INVOICE_DUE), agreement.appSessionId()));
    }

    @Override
    public synchronized void close() {
        debitNoteSchedules.values().forEach(s -> s.cancel(false));
        debitNoteSchedules.clear();
    }

    private void issueDebitNote(Agreement agreement, String activityId) {
        try {
            if (agreement.state() != AgreementState.Approved) {
                return;
            }
            LinearPrice price = priceOf(agreement);
            ActivityUsage used = usageOf(agreement, activityId);
            Duration paymentTimeout = agreedInterval(agreement, Offer.PAYMENT_TIMEOUT);
            Instant now = IsoTime.now();
            CompletableFuture<DocumentAnswer> answer;
            // Sent under the lock, so once activityStopped has returned no note of that activity follows.
            synchronized (this) {
                if (!debitNoteSchedules.containsKey(activityId)) {
                    return;
                }
                DebitNote note = new DebitNote(UUID.randomUUID().toString(), partiesOf(agreement), agreement.agreementId(),
                        activityId, lastDebitNote.get(activityId), price.priceOf(used), price.counters(used), now,
                        paymentTimeout == null ? null : now.plus(paymentTimeout), agreement.appSessionId());
                lastDebitNote.put(activityId, note.id());
                answer = requestor.debitNoteReceived(note);
            }
            enforce(agreement, answer, agreedInterval(agreement, Offer.ACCEPT_TIMEOUT));
        } catch (RuntimeException e) {
            LOG.error("issuing a debit note for activity {} failed", activityId, e);
        }
    }

    /**
     * As ya-provider: a rejected debit note breaks the agreement ({@code DebitNoteRejected}), and
     * so does one not accepted within the agreed accept-timeout ({@code DebitNotesDeadline});
     * without an agreed accept-timeout there is no deadline. Breaking an agreement that already
     * ended does nothing.
     */
    private void enforce(Agreement agreement, CompletableFuture<DocumentAnswer> answer, Duration acceptTimeout) {
        answer.thenAcceptAsync(a -> {
            if (!a.accepted()) {
                Rejection r = a.rejection();
                market.breakAgreement(agreement.agreementId(),
                        BreakReason.debitNoteRejected(r.rejectionReason(), r.totalAmountAccepted(), r.message()));
            }
        }, timer);
        if (acceptTimeout != null) {
            timer.schedule(() -> {
                if (!answer.isDone()) {
                    market.breakAgreement(agreement.agreementId(), BreakReason.debitNotesDeadline(acceptTimeout));
                }
            }, acceptTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Under the lock. */
    private void cancelDebitNotes(String activityId) {
        ScheduledFuture<?> schedule = debitNoteSchedules.remove(activityId);
        if (schedule != null) {
            schedule.cancel(false);
        }
    }

    private LinearPrice priceOf(Agreement agreement) {
        return LinearPrice.of(agreement.offerProperties(), agreement.usageVector(), provider.spec().pricing());
    }

    /** What the activity used; nothing for one the meter does not know (a sandbox without the activity API). */
    private ActivityUsage usageOf(Agreement agreement, String activityId) {
        return usage.usage(activityId).orElseGet(() -> new ActivityUsage(activityId, agreement.agreementId(), 0, 0, Instant.now(), false));
    }

    /**
     * Who pays whom: on the platform the requestor chose ({@code golem.com.payment.chosen-platform},
     * which golem-js puts in its counter-proposal) if the offer has an address on it, else on the
     * first platform both sides have an address on.
     */
    private Parties partiesOf(Agreement agreement) {
        Map<String, Object> demand = agreement.demandProperties();
        Map<String, Object> offer = agreement.offerProperties();
        List<String> platforms = provider.spec().paymentPlatforms();
        String platform = null;
        if (demand.get("golem.com.payment.chosen-platform") instanceof String chosen && offer.containsKey(ADDRESS.formatted(chosen))) {
            platform = chosen;
        }
        if (platform == null) {
            platform = platforms.stream().filter(p -> demand.containsKey(ADDRESS.formatted(p))).findFirst().orElse(platforms.get(0));
        }
        Object payee = offer.get(ADDRESS.formatted(platform));
        Object payer = demand.get(ADDRESS.formatted(platform));
        return new Parties(provider.nodeId(), agreement.requestorId(),
                payee == null ? provider.spec().paymentAddress() : payee.toString(),
                payer == null ? agreement.requestorId() : payer.toString(),
                platform);
    }

    /** A whole number of seconds agreed in the offer's {@code property}, or null if not agreed. */
    private static Duration agreedInterval(Agreement agreement, String property) {
        return agreement.offerProperties().get(property) instanceof Number n && n.doubleValue() >= 1
                ? Duration.ofMillis(Math.round(n.doubleValue() * 1000)) : null;
    }
}
