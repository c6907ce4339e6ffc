package dev.golemsandbox.cli;

import java.net.URI;
import java.util.Map;

/**
 * The base URL at which requestors and providers reach this sandbox's registry, used in the
 * {@code hash:sha3:<hash>:<url>} links the CLI prints: {@code $GOLEM_SANDBOX_PUBLIC_URL}, else
 * {@code http://127.0.0.1:$GOLEM_SANDBOX_PORT} (port 7465 by default, yagna's).
 */
final class RegistryUrl {

    static final String PUBLIC_URL_ENV = "GOLEM_SANDBOX_PUBLIC_URL";
    static final String PORT_ENV = "GOLEM_SANDBOX_PORT";
    static final int DEFAULT_PORT = 7465;

    private RegistryUrl() {
    }

    static URI fromEnvironment() {
        return from(System.getenv());
    }

    static URI from(Map<String, String> env) {
        String explicit = env.get(PUBLIC_URL_ENV);
        if (explicit != null && !explicit.isBlank()) {
            return URI.create(explicit.trim());
        }
        String port = env.get(PORT_ENV);
        return URI.create("http://127.0.0.1:" + (port == null || port.isBlank() ? DEFAULT_PORT : port.trim()));
    }
}
