package dev.golemsandbox.activity;

import java.util.Optional;

/**
 * The market's side of the activity API: it looks agreements up and hears when activities come
 * and go, so it can count each provider's running activities against its capacity.
 *
 * <pre>{@code
 * ActivityService activities = new ActivityService(agreementSource, ...);
 * }</pre>
 */
public interface AgreementSource {

    /** The agreement with this id in whatever state it is, or empty if there is none. */
    Optional<ActivityAgreement> agreement(String agreementId);

    /**
     * Called before an activity is created on an approved agreement. To refuse it (the provider
     * runs as many activities as it can), throw {@link io.javalin.http.ConflictResponse} with the
     * reason; the requestor receives it as a 409.
     */
    void activityCreated(String agreementId, String activityId);

    /** Called once the activity's exe-unit is stopped. */
    void activityDestroyed(String agreementId, String activityId);
}
