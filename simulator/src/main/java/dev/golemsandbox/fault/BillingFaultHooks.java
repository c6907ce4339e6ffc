package dev.golemsandbox.fault;

import dev.golemsandbox.provider.BillingFaults;
import java.time.Duration;
import java.util.Optional;

/** The billing faults of the book, where a provider's billing asks for them. */
public final class BillingFaultHooks implements BillingFaults {

    /** How often a debit-note storm sends a note. */
    static final Duration STORM_INTERVAL = Duration.ofSeconds(1);

    private final FaultBook faults;

    public BillingFaultHooks(FaultBook faults) {
        this.faults = faults;
    }

    @Override
    public boolean withholdsInvoice(String provider, String agreementId) {
        return faults.fire(FaultKind.NO_INVOICE, provider, null).isPresent();
    }

    @Override
    public Optional<Duration> debitNoteStorm(String provider, String activityId) {
        return faults.fire(FaultKind.DEBIT_NOTE_STORM, provider, activityId).map(f -> STORM_INTERVAL);
    }
}
