package dev.golemsandbox.http;

import dev.golemsandbox.sandbox.SandboxServer;
import io.javalin.config.JavalinConfig;
import java.util.List;

/**
 * One part of the sandbox's HTTP API (market, payment, activity, GSB, registry), plugged into the
 * server by {@link SandboxServer.Builder#component}. A component declares its routes in the Javalin
 * config; errors it throws as {@link ApiException} become yagna's {@code {"message": ...}} answers.
 * Every route needs the app key, except those under {@link #publicPathPrefixes()}, the sandbox's
 * health, readiness and description, and WebSocket upgrades (which check their own {@code authToken}).
 *
 * <pre>{@code
 * public final class ImageRegistryApi implements ApiComponent {
 *     public String name() { return "registry"; }
 *     public void addRoutes(JavalinConfig config) {
 *         config.routes.get("/v1/image/info", this::info);
 *     }
 *     public List<String> publicPathPrefixes() { return List.of("/v1/image/"); }
 * }
 * }</pre>
 */
public interface ApiComponent {

    /** A short name, shown by {@code /_sandbox/health}. */
    String name();

    /** Declares the routes (and WebSocket handlers) of the component. Called once, before the server starts. */
    void addRoutes(JavalinConfig config);

    /** Path prefixes served without the app key, e.g. {@code /v1/image/} for the registry. */
    default List<String> publicPathPrefixes() {
        return List.of();
    }

    /** A one-word state for {@code /_sandbox/health}: "up" unless the component knows better. */
    default String state() {
        return "up";
    }

    /** Called once when the server stops, after it stopped taking requests: end VMs, close sockets. */
    default void close() {
    }
}
