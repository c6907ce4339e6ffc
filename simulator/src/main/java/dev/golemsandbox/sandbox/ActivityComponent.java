package dev.golemsandbox.sandbox;

import dev.golemsandbox.activity.ActivityApi;
import dev.golemsandbox.activity.ActivityService;
import dev.golemsandbox.activity.ActivityUsage;
import dev.golemsandbox.activity.UsageMeter;
import dev.golemsandbox.http.ApiComponent;
import io.javalin.config.JavalinConfig;
import java.util.Optional;

/** The activity API plugged into the server; it also tells the providers' billing what each activity used. */
final class ActivityComponent implements ApiComponent, UsageMeter {

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
    public Optional<ActivityUsage> usage(String activityId) {
        return service.usage(activityId);
    }

    @Override
    public void close() {
        service.close();
    }
}
