package dev.golemsandbox.sandbox;

import dev.golemsandbox.activity.ActivityUsage;
import dev.golemsandbox.activity.UsageMeter;
import dev.golemsandbox.http.ApiComponent;
import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.Ids;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.http.JsonBody;
import dev.golemsandbox.market.AgreementLookup;
import dev.golemsandbox.market.RentedAgreement;
import io.javalin.config.JavalinConfig;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the activity API in tests of the market and payment: creating an activity
 * claims the agreement through the lookup (as the real one must), destroying it releases it, and
 * every activity reports a fixed usage.
 */
public final class FakeActivityApi implements ApiComponent, UsageMeter {

    private final AgreementLookup agreements;
    private final double cpuSeconds;
    private final double durationSeconds;
    private final Map<String, RentedAgreement> byActivity = new ConcurrentHashMap<>();

    public FakeActivityApi(AgreementLookup agreements, double cpuSeconds, double durationSeconds) {
        this.agreements = agreements;
        this.cpuSeconds = cpuSeconds;
        this.durationSeconds = durationSeconds;
    }

    @Override
    public String name() {
        return "activity";
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        config.routes.post("/activity-api/v1/activity", ctx -> {
            RentedAgreement agreement = agreements.approved(JsonBody.of(ctx).string("agreementId"));
            String activityId = Ids.hex(16);
            agreement.activityStarted(activityId);
            byActivity.put(activityId, agreement);
            Json.created(ctx, Map.of("activityId", activityId));
        });
        config.routes.delete("/activity-api/v1/activity/{activityId}", ctx -> {
            RentedAgreement agreement = byActivity.get(ctx.pathParam("activityId"));
            if (agreement == null) {
                throw new ApiException.NotFound("activity " + ctx.pathParam("activityId") + " not found");
            }
            agreement.activityStopped(ctx.pathParam("activityId"));
            Json.noContent(ctx);
        });
    }

    /** The agreement an activity was created under, as the lookup handed it out. */
    public RentedAgreement agreementOf(String activityId) {
        return byActivity.get(activityId);
    }

    @Override
    public Optional<ActivityUsage> usage(String activityId) {
        RentedAgreement agreement = byActivity.get(activityId);
        return Optional.ofNullable(agreement)
                .map(a -> new ActivityUsage(activityId, a.agreementId(), durationSeconds, cpuSeconds, Instant.now(), false));
    }
}
