package dev.golemsandbox.market;

/**
 * Told about agreements as they change, after the market has applied the change and released its
 * lock; each provider's billing listens to issue debit notes and invoices. Calls for one agreement
 * come in order: approved, then activity starts and stops, then terminated. Every listener hears
 * about every agreement: one that cares for one provider's picks them by {@link Agreement#provider()}.
 *
 * <pre>{@code
 * market.addListener(new ProviderBilling(provider, payment, market, usage, timer));
 * }</pre>
 */
public interface AgreementListener {

    default void approved(Agreement agreement) {
    }

    default void activityStarted(Agreement agreement, String activityId) {
    }

    default void activityStopped(Agreement agreement, String activityId) {
    }

    /** The agreement is Terminated (by the requestor or the provider); no activity runs any more. */
    default void terminated(Agreement agreement) {
    }
}
