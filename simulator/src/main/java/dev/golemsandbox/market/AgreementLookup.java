package dev.golemsandbox.market;

/**
 * How the activity API finds the agreement an activity is created under. Implemented by
 * {@link Market}.
 *
 * <pre>{@code
 * RentedAgreement agreement = agreements.approved(agreementId);   // 404 / 409 / 410 as ApiException
 * agreement.activityStarted(activityId);                          // 409 if one already runs
 * ExeUnit unit = agreement.provider().runtime().newExeUnit(image, agreement.resources(), workDir);
 * ...
 * agreement.activityStopped(activityId);                          // once the activity is Terminated
 * }</pre>
 */
public interface AgreementLookup {

    /**
     * The agreement {@code agreementId}, which must be Approved.
     *
     * @throws dev.golemsandbox.http.ApiException.NotFound if there is no such agreement
     * @throws dev.golemsandbox.http.ApiException.Conflict if it is not approved yet
     * @throws dev.golemsandbox.http.ApiException.Gone if it is terminated, rejected, cancelled or expired
     */
    RentedAgreement approved(String agreementId);
}
