package dev.golemsandbox.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps web pages out: any page a user opens can send requests to 127.0.0.1, so every request is
 * checked before the app key is.
 * <ul>
 * <li>Host: only names the sandbox is reachable under (loopback names, the configured host, the
 *     public URL's host, names the user allows) and IP literals are served; any other Host is a
 *     DNS-rebinding attempt and gets 421. An IP literal cannot be rebound.</li>
 * <li>Origin: a browser request that changes something (POST, PUT, PATCH, DELETE) or opens a
 *     WebSocket from a page that is neither the sandbox itself nor a CORS origin the user allowed
 *     gets 403. Clients that are not browsers send no Origin and are not affected.</li>
 * <li>CORS: only for the origins the user allowed ({@code --cors}): their preflights are answered
 *     and their answers carry {@code Access-Control-Allow-Origin}. Nothing else gets CORS headers,
 *     so other pages cannot read answers.</li>
 * </ul>
 *
 * <pre>{@code
 * RequestGuard guard = new RequestGuard(Set.of("sandbox.local"), Set.of("http://localhost:3000"));
 * config.routes.before(guard);   // before the app-key check
 * }</pre>
 */
public final class RequestGuard implements Handler {

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1");
    private static final Set<HandlerType> CHANGING = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Set<String> allowedHosts;
    private final Set<String> corsOrigins;

    /**
     * @param extraHosts  host names served besides the loopback names and IP literals (lower case, no port)
     * @param corsOrigins origins ({@code scheme://host[:port]}, lower case) whose pages may call the API
     */
    public RequestGuard(Set<String> extraHosts, Set<String> corsOrigins) {
        this.allowedHosts = Set.copyOf(extraHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
        this.corsOrigins = Set.copyOf(corsOrigins);
    }

    @Override
    public void handle(Context ctx) {
        checkHost(ctx.header("Host"));
        String origin = ctx.header("Origin");
        if (origin == null) {
            return;
        }
        String normalized = origin.trim().toLowerCase(Locale.ROOT);
        boolean allowedCors = corsOrigins.contains(normalized);
        if (allowedCors) {
            ctx.header("Access-Control-Allow-Origin", origin.trim());
            ctx.header("Vary", "Origin");
            if (ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
                ctx.header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
                ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept, Last-Event-ID");
                ctx.header("Access-Control-Max-Age", "600");
                ctx.status(204);
                ctx.skipRemainingHandlers();
                return;
            }
        }
        boolean changing = CHANGING.contains(ctx.method()) || "websocket".equalsIgnoreCase(ctx.header("Upgrade"));
        if (changing && !allowedCors && !isSameOrigin(normalized, ctx.header("Host"))) {
            throw new ApiException.Forbidden("requests from the web page at " + origin.trim() + " are refused: a page may"
                    + " only call the sandbox if you allow its origin (golem-sandbox up --cors " + origin.trim() + ")");
        }
    }

    private void checkHost(String hostHeader) {
        String host = hostName(hostHeader);
        if (host == null) {
            throw new ApiException.MisdirectedRequest("the request has no valid Host header");
        }
        if (!LOOPBACK_NAMES.contains(host) && !allowedHosts.contains(host) && !isIpLiteral(host)) {
            throw new ApiException.MisdirectedRequest("this sandbox does not answer for the host name '" + host + "' (a web"
                    + " page behind that name may be trying DNS rebinding); use http://127.0.0.1, or allow the name with"
                    + " GOLEM_SANDBOX_ALLOWED_HOSTS");
        }
    }

    /** A page served by the sandbox itself: the Origin names the host and port the request was sent to. */
    private static boolean isSameOrigin(String origin, String hostHeader) {
        try {
            URI uri = URI.create(origin);
            String authority = uri.getRawAuthority();
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && authority != null && hostHeader != null && authority.equalsIgnoreCase(hostHeader.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The host of a Host header without its port, lower case ({@code [::1]:7465} is {@code ::1}); null if malformed. */
    static String hostName(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return null;
        }
        String value = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? null : value.substring(1, end);
        }
        int colon = value.indexOf(':');
        String host = colon < 0 ? value : value.substring(0, colon);
        return host.isEmpty() || !host.matches("[a-z0-9.\\-_]+") ? null : host;
    }

    private static boolean isIpLiteral(String host) {
        return IPV4.matcher(host).matches() || host.contains(":");
    }
}
