package dev.golemsandbox.sandbox;

import dev.golemsandbox.dashboard.DashboardPage;
import dev.golemsandbox.http.ApiComponent;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.identity.IdentityComponent;
import dev.golemsandbox.market.Market;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The sandbox's own endpoints, apart from the emulated yagna API and open without the app key:
 * {@code /_sandbox/health} (always 200: the components and readiness conditions),
 * {@code /_sandbox/ready} (200 once every readiness condition holds, 503 until then) and
 * {@code /_sandbox/info} (version, URLs, providers; never the app key).
 */
final class SandboxEndpoints {

    private final SandboxServer server;
    private final Readiness readiness;
    private final List<ApiComponent> components;
    private final Market market;
    private final Map<String, Supplier<?>> extraInfo;

    SandboxEndpoints(SandboxServer server, Readiness readiness, List<ApiComponent> components, Market market,
                     Map<String, Supplier<?>> extraInfo) {
        this.server = server;
        this.readiness = readiness;
        this.components = components;
        this.market = market;
        this.extraInfo = extraInfo;
    }

    void addRoutes(RoutesConfig routes) {
        routes.get("/_sandbox/health", this::health);
        routes.get("/_sandbox/ready", this::ready);
        routes.get("/_sandbox/info", ctx -> Json.ok(ctx, info()));
    }

    private void health(Context ctx) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "up");
        answer.put("version", SandboxVersion.current());
        answer.put("ready", readiness.isReady());
        answer.put("components", components.stream().collect(Collectors.toMap(ApiComponent::name, ApiComponent::state,
                (a, b) -> a, LinkedHashMap::new)));
        answer.put("conditions", readiness.statuses());
        Json.ok(ctx, answer);
    }

    private void ready(Context ctx) {
        List<Readiness.Status> statuses = readiness.statuses();
        Map<String, Object> answer = new LinkedHashMap<>();
        boolean ready = readiness.isReady();
        if (!ready) {
            answer.put("message", "not ready yet: " + statuses.stream()
                    .filter(s -> s.state() != Readiness.State.READY)
                    .map(s -> s.name() + " " + s.state().name().toLowerCase() + (s.detail() == null ? "" : " (" + s.detail() + ")"))
                    .collect(Collectors.joining(", ")));
        }
        answer.put("ready", ready);
        answer.put("conditions", statuses);
        Json.write(ctx, ready ? 200 : 503, answer);
    }

    private Map<String, Object> info() {
        String url = server.baseUrl();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", "golem-sandbox");
        info.put("version", SandboxVersion.current());
        info.put("yagnaVersion", IdentityComponent.YAGNA_VERSION);
        extraInfo.forEach((key, value) -> info.put(key, value.get()));
        info.put("apiUrl", url);
        info.put("registryUrl", url);
        info.put("requestorId", server.requestorId());
        info.put("dataDir", server.config().home().root().toString());
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("market", url + "/market-api/v1");
        endpoints.put("activity", url + "/activity-api/v1");
        endpoints.put("payment", url + "/payment-api/v1");
        endpoints.put("gsb", url + "/gsb-api/v1");
        endpoints.put("net", url + "/net-api/v1");
        endpoints.put("identity", url + "/me");
        endpoints.put("version", url + "/version/get");
        endpoints.put("registry", url + "/v1/image");
        endpoints.put("health", url + "/_sandbox/health");
        endpoints.put("ready", url + "/_sandbox/ready");
        endpoints.put("dashboard", url + DashboardPage.PATH + "/");
        info.put("endpoints", endpoints);
        info.put("providers", market.providers());
        return info;
    }
}
