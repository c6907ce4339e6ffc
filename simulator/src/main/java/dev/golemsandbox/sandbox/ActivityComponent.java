package dev.golemsandbox.sandbox;

import dev.golemsandbox.activity.ActivityApi;
import dev.golemsandbox.activity.ActivityService;
import dev.golemsandbox.http.ApiComponent;
import dev.golemsandbox.payment.ActivityUsage;
import dev.golemsandbox.payment.UsageSource;
import io.javalin.config.JavalinConfig;

/** The activity API plugged into the server; it also tells payment what each activity used. */
final class ActivityComponent implements ApiComponent, UsageSource {

    private final ActivityService service;
    private final ActivityApi api;

    ActivityComponent(ActivityService service) {
        this.service = service;
        this.api = new ActivityApi(service);
    }

    ActivityService service() {
        return service;
    }

    @Override
    public String name() {
        return "activity";
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        api.addRoutes(config);
    }

    @Override
    public ActivityUsage usageOf(String activityId) {
        return service.usage(activityId)
                .map(u -> new ActivityUsage(activityId, u.cpuSeconds(), u.durationSeconds()))
                .orElseGet(() -> new ActivityUsage(activityId, 0, 0));
    }

    @Override
    public void close() {
        service.close();
    }
}
