package dev.golemsandbox.client;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An approved agreement with one provider. Activities made from it run on that provider; closing
 * the rental terminates the agreement (after destroying its activities yourself).
 */
public final class Rental implements AutoCloseable {

    private final GolemRequestor requestor;
    private final YagnaHttp http;
    private final String agreementId;
    private final String providerName;
    private final String providerId;
    private static final int GONE = 410;

    private boolean terminated;

    Rental(GolemRequestor requestor, YagnaHttp http, String agreementId, String providerName, String providerId) {
        this.requestor = requestor;
        this.http = http;
        this.agreementId = agreementId;
        this.providerName = providerName;
        this.providerId = providerId;
    }

    public String agreementId() {
        return agreementId;
    }

    /** The provider's {@code golem.node.id.name}. */
    public String providerName() {
        return providerName;
    }

    /** The provider's node id. */
    public String providerId() {
        return providerId;
    }

    /** A new activity (a fresh VM) on this rental's provider. Legal until the rental is closed. */
    public Activity newActivity() {
        ObjectNode body = YagnaHttp.JSON.createObjectNode();
        body.put("agreementId", agreementId);
        String activityId = http.post("/activity-api/v1/activity", body).path("activityId").asText();
        return new Activity(requestor, http, activityId);
    }

    /** Terminates the agreement. Idempotent; an agreement the provider already ended (410) needs nothing more. */
    @Override
    public synchronized void close() {
        if (terminated) {
            return;
        }
        terminated = true;
        ObjectNode reason = YagnaHttp.JSON.createObjectNode();
        reason.put("message", "Finished");
        try {
            http.post("/market-api/v1/agreements/" + agreementId + "/terminate", reason);
        } catch (YagnaApiException e) {
            if (e.status() != GONE) {
                throw e;
            }
        }
    }
}
