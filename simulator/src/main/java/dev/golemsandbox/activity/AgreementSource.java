package dev.golemsandbox.activity;

/**
 * The market's side of the activity API: finds the approved agreement an activity is created on.
 *
 * <pre>{@code
 * ActivityService activities = new ActivityService(agreementSource, gftp, home.deployCache(), workRoot);
 * }</pre>
 */
@FunctionalInterface
public interface AgreementSource {

    /**
     * The agreement {@code agreementId}, which must be Approved. Otherwise throws an HTTP
     * exception with the reason: 404 for an unknown id, 409 when not approved yet, 410 when ended.
     */
    ActivityAgreement approved(String agreementId);
}
