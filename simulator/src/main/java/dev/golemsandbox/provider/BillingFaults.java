package dev.golemsandbox.provider;

import java.time.Duration;
import java.util.Optional;

/**
 * Failures injected into a provider's billing on request: the composition root plugs in the
 * sandbox's fault book; {@link #NONE} injects nothing.
 */
public interface BillingFaults {

    BillingFaults NONE = new BillingFaults() { };

    /** Whether the provider never sends the invoice of this agreement. */
    default boolean withholdsInvoice(String provider, String agreementId) {
        return false;
    }

    /** A debit-note interval that replaces the negotiated one (or starts debit notes where none were agreed). */
    default Optional<Duration> debitNoteStorm(String provider, String activityId) {
        return Optional.empty();
    }
}
