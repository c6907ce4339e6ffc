package dev.golemsandbox.fault;

import dev.golemsandbox.http.ApiComponent;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.http.JsonBody;
import io.javalin.config.JavalinConfig;

/**
 * {@code /_sandbox/faults}: add a fault ({@code POST}, answers its id), list them with how often
 * each fired ({@code GET}), remove one ({@code DELETE /{id}}). Needs the app key like all of
 * {@code /_sandbox} but health, readiness and info.
 */
public final class FaultsApi implements ApiComponent {

    private final FaultBook faults;

    public FaultsApi(FaultBook faults) {
        this.faults = faults;
    }

    @Override
    public String name() {
        return "faults";
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        config.routes.post("/_sandbox/faults", ctx -> Json.created(ctx, faults.add(JsonBody.of(ctx).node()).json()));
        config.routes.get("/_sandbox/faults", ctx -> Json.ok(ctx, faults.list()));
        config.routes.delete("/_sandbox/faults/{id}", ctx -> {
            faults.remove(ctx.pathParam("id"));
            Json.ok(ctx, null);
        });
    }
}
