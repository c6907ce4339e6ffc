package dev.golemsandbox.sandbox;

import dev.golemsandbox.cli.SandboxOptions;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.market.ProviderTimeouts;
import dev.golemsandbox.provider.DefaultFleet;
import dev.golemsandbox.provider.ProviderSpec;
import dev.golemsandbox.provider.ProvidersFile;
import dev.golemsandbox.registry.ImageRegistryApi;
import dev.golemsandbox.registry.UpstreamRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.Map;

/**
 * Every setting of a running sandbox, in one place. Each has an environment variable (read by
 * {@link #fromEnvironment}) and a flag ({@link SandboxOptions}); flags win.
 *
 * <table>
 * <tr><th>variable</th><th>flag</th><th>default</th><th>meaning</th></tr>
 * <tr><td>GOLEM_SANDBOX_HOST</td><td>--host</td><td>127.0.0.1</td><td>address to listen on</td></tr>
 * <tr><td>GOLEM_SANDBOX_PORT</td><td>--port</td><td>7465</td><td>port (0: any free one)</td></tr>
 * <tr><td>GOLEM_SANDBOX_APPKEY</td><td>--app-key</td><td>kept in the data dir</td><td>the app key requestors send; more, comma-separated (or the flag repeated), are accepted too</td></tr>
 * <tr><td>GOLEM_SANDBOX_HOME</td><td>--data-dir</td><td>~/.local/share/golem-sandbox</td><td>data directory</td></tr>
 * <tr><td>GOLEM_SANDBOX_PUBLIC_URL</td><td>--public-url</td><td>http://host:port</td><td>the URL requestors use</td></tr>
 * <tr><td>GOLEM_SANDBOX_PROVIDERS</td><td>--providers</td><td>12</td><td>how many providers of the default fleet</td></tr>
 * <tr><td>GOLEM_SANDBOX_PROVIDERS_FILE</td><td>--providers-file</td><td>none</td><td>YAML list of providers (wins over the number)</td></tr>
 * <tr><td>GOLEM_SANDBOX_DEBIT_NOTE_INTERVAL</td><td>--debit-note-interval</td><td>0 (off)</td><td>seconds between debit notes</td></tr>
 * <tr><td>GOLEM_SANDBOX_SESSION_TIMEOUT</td><td>--session-timeout</td><td>60</td><td>seconds of event-poll silence before providers break a requestor's agreements as unreachable (0: never)</td></tr>
 * <tr><td>GOLEM_SANDBOX_NO_ACTIVITY_TIMEOUT</td><td>--no-activity-timeout</td><td>90</td><td>seconds an agreement may run no activity before its provider breaks it (0: never)</td></tr>
 * <tr><td>GOLEM_SANDBOX_DEBIT_NOTE_ACCEPT_TIMEOUT</td><td>--debit-note-accept-timeout</td><td>240</td><td>the accept-timeout providers offer for debit notes (a requestor may agree a lower one, down to 5)</td></tr>
 * <tr><td>GOLEM_SANDBOX_CORS</td><td>--cors</td><td>none</td><td>browser origins allowed to call the API (comma-separated; the flag repeats)</td></tr>
 * <tr><td>GOLEM_SANDBOX_ALLOWED_HOSTS</td><td>--allowed-host</td><td>none</td><td>host names (besides loopback names, IP addresses, the host and public URL) requests may be addressed to</td></tr>
 * <tr><td>GOLEM_SANDBOX_MAX_PUSH_BYTES</td><td>--max-push-bytes</td><td>16 GiB</td><td>largest image the registry accepts in a push</td></tr>
 * <tr><td>GOLEM_SANDBOX_UPSTREAM_REGISTRY</td><td>--upstream-registry</td><td>https://registry.golem.network</td><td>registry asked for unknown images (none: off)</td></tr>
 * <tr><td>GOLEM_SANDBOX_WARM_VMS</td><td>--warm-vms</td><td>1</td><td>booted, paused VMs kept per recently used image and provider shape (0: none)</td></tr>
 * </table>
 *
 * @param host              the address to listen on
 * @param port              the port; 0 picks a free one (tests)
 * @param appKey            the main app key, or null to use the one kept in the data directory
 * @param home              the data directory
 * @param publicUrl         the base URL requestors use, or null for http://host:port
 * @param providers         the simulated providers
 * @param debitNoteInterval how often providers send a debit note while an activity runs; zero: never
 * @param sessionTimeout    event-poll silence after which a requestor session's agreements end; zero: never
 * @param noActivityTimeout how long an agreement may run no activity before its provider breaks it; zero: never
 * @param debitNoteAcceptTimeout the accept-timeout for debit notes providers open the negotiation with
 * @param corsOrigins       browser origins (e.g. {@code http://localhost:3000}) allowed to call the API; none by default
 * @param maxPushBytes      the largest upload the registry's push accepts
 * @param extraHosts        host names, besides the loopback names, IP literals, the host and the public URL's host,
 *                          that requests may name in their Host header (e.g. a compose service name)
 * @param upstreamRegistry  the registry asked for images the local one does not hold, or null for none
 * @param warmVms           VMs kept booted and paused per recently used image and provider shape, so an
 *                          activity's start resumes one instead of booting; 0 turns the reserve off
 * @param extraAppKeys      further app keys accepted besides the main one (named app-key-2, ... in the order given)
 */
public record SandboxConfig(String host, int port, String appKey, SandboxHome home, String publicUrl,
                            List<ProviderSpec> providers, Duration debitNoteInterval, Duration sessionTimeout,
                            List<String> corsOrigins, long maxPushBytes, List<String> extraHosts,
                            String upstreamRegistry, int warmVms, Duration noActivityTimeout,
                            Duration debitNoteAcceptTimeout, List<String> extraAppKeys) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7465;
    public static final int DEFAULT_PROVIDERS = DefaultFleet.SIZE;
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_WARM_VMS = 1;

    public SandboxConfig {
        if (host == null || host.isBlank()) {
            throw new UserError("the host to listen on is empty");
        }
        if (port < 0 || port > 65535) {
            throw new UserError("port must be 0-65535, got " + port);
        }
        providers = List.copyOf(providers);
        extraAppKeys = extraAppKeys.stream().map(String::trim).toList();
        if (debitNoteInterval.isNegative() || sessionTimeout.isNegative()) {
            throw new UserError("intervals cannot be negative");
        }
        if (!debitNoteInterval.isZero() && debitNoteInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new UserError("the debit-note interval must be 0 (off) or at least 1 second, got " + debitNoteInterval.toMillis() + " ms");
        }
        try {
            providerTimeouts(debitNoteInterval, sessionTimeout, noActivityTimeout, debitNoteAcceptTimeout);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (publicUrl != null) {
            publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        }
        corsOrigins = corsOrigins.stream().map(SandboxConfig::origin).toList();
        extraHosts = extraHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
        if (warmVms < 0) {
            throw new UserError("the number of warm VMs must be 0 (none) or more, got " + warmVms);
        }
        if (maxPushBytes < 1) {
            throw new UserError("the largest image push must be at least 1 byte, got " + maxPushBytes);
        }
        if (UpstreamRegistry.isOff(upstreamRegistry)) {
            upstreamRegistry = null;
        } else {
            try {
                upstreamRegistry = UpstreamRegistry.parse(upstreamRegistry).toString();
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    /** The defaults, ignoring the environment: 127.0.0.1:7465, the default fleet of providers, no debit notes. */
    public static SandboxConfig defaults(SandboxHome home) {
        return new SandboxConfig(DEFAULT_HOST, DEFAULT_PORT, null, home, null, ProviderSpec.defaults(DEFAULT_PROVIDERS),
                Duration.ZERO, DEFAULT_SESSION_TIMEOUT, List.of(), ImageRegistryApi.DEFAULT_MAX_PUSH_BYTES, List.of(),
                UpstreamRegistry.PUBLIC_REGISTRY, DEFAULT_WARM_VMS,
                ProviderTimeouts.DEFAULTS.noActivity(), ProviderTimeouts.DEFAULTS.debitNoteAcceptTimeout(), List.of());
    }

    /** The settings given by {@code env} (the variables in the table above), defaults elsewhere. */
    public static SandboxConfig fromEnvironment(Map<String, String> env, SandboxHome home) {
        String file = value(env, "GOLEM_SANDBOX_PROVIDERS_FILE");
        List<ProviderSpec> providers = file != null
                ? ProvidersFile.load(Path.of(file))
                : ProviderSpec.defaults(integer(env, "GOLEM_SANDBOX_PROVIDERS", DEFAULT_PROVIDERS));
        List<String> appKeys = list(env, "GOLEM_SANDBOX_APPKEY");
        return new SandboxConfig(
                value(env, "GOLEM_SANDBOX_HOST") == null ? DEFAULT_HOST : value(env, "GOLEM_SANDBOX_HOST"),
                integer(env, "GOLEM_SANDBOX_PORT", DEFAULT_PORT),
                appKeys.isEmpty() ? null : appKeys.get(0),
                home,
                value(env, "GOLEM_SANDBOX_PUBLIC_URL"),
                providers,
                seconds(env, "GOLEM_SANDBOX_DEBIT_NOTE_INTERVAL", Duration.ZERO),
                seconds(env, "GOLEM_SANDBOX_SESSION_TIMEOUT", DEFAULT_SESSION_TIMEOUT),
                list(env, "GOLEM_SANDBOX_CORS"),
                bytes(env, "GOLEM_SANDBOX_MAX_PUSH_BYTES", ImageRegistryApi.DEFAULT_MAX_PUSH_BYTES),
                list(env, "GOLEM_SANDBOX_ALLOWED_HOSTS"),
                env.getOrDefault("GOLEM_SANDBOX_UPSTREAM_REGISTRY", UpstreamRegistry.PUBLIC_REGISTRY),
                integer(env, "GOLEM_SANDBOX_WARM_VMS", DEFAULT_WARM_VMS),
                seconds(env, "GOLEM_SANDBOX_NO_ACTIVITY_TIMEOUT", ProviderTimeouts.DEFAULTS.noActivity()),
                seconds(env, "GOLEM_SANDBOX_DEBIT_NOTE_ACCEPT_TIMEOUT", ProviderTimeouts.DEFAULTS.debitNoteAcceptTimeout()),
                appKeys.size() > 1 ? appKeys.subList(1, appKeys.size()) : List.of());
    }

    /**
     * The URL requestors reach the sandbox at, given the port it really listens on: the public URL
     * if set, else {@code http://host:port} (a wildcard host is shown as 127.0.0.1).
     */
    public String baseUrl(int listeningPort) {
        if (publicUrl != null) {
            return publicUrl;
        }
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + listeningPort;
    }

    public SandboxConfig withHost(String newHost) {
        return edit(b -> b.host = newHost);
    }

    public SandboxConfig withPort(int newPort) {
        return edit(b -> b.port = newPort);
    }

    public SandboxConfig withAppKey(String newAppKey) {
        return edit(b -> b.appKey = newAppKey);
    }

    /** The same with further app keys accepted besides the main one. */
    public SandboxConfig withExtraAppKeys(List<String> keys) {
        return edit(b -> b.extraAppKeys = List.copyOf(keys));
    }

    public SandboxConfig withPublicUrl(String newPublicUrl) {
        return edit(b -> b.publicUrl = newPublicUrl);
    }

    public SandboxConfig withProviders(List<ProviderSpec> newProviders) {
        return edit(b -> b.providers = newProviders);
    }

    public SandboxConfig withDebitNoteInterval(Duration interval) {
        return edit(b -> b.debitNoteInterval = interval);
    }

    public SandboxConfig withSessionTimeout(Duration timeout) {
        return edit(b -> b.sessionTimeout = timeout);
    }

    public SandboxConfig withNoActivityTimeout(Duration timeout) {
        return edit(b -> b.noActivityTimeout = timeout);
    }

    public SandboxConfig withDebitNoteAcceptTimeout(Duration timeout) {
        return edit(b -> b.debitNoteAcceptTimeout = timeout);
    }

    /** The providers' timeouts, for those a provider does not set itself. */
    public ProviderTimeouts providerTimeouts() {
        return providerTimeouts(debitNoteInterval, sessionTimeout, noActivityTimeout, debitNoteAcceptTimeout);
    }

    private static ProviderTimeouts providerTimeouts(Duration debitNoteInterval, Duration sessionTimeout, Duration noActivity,
                                                     Duration acceptTimeout) {
        return new ProviderTimeouts(noActivity, debitNoteInterval, acceptTimeout, sessionTimeout);
    }

    public SandboxConfig withCorsOrigins(List<String> origins) {
        return edit(b -> b.corsOrigins = origins);
    }

    public SandboxConfig withMaxPushBytes(long bytes) {
        return edit(b -> b.maxPushBytes = bytes);
    }

    public SandboxConfig withExtraHosts(List<String> hosts) {
        return edit(b -> b.extraHosts = hosts);
    }

    /** A URL, or {@code none} (or null) to ask no upstream registry. */
    public SandboxConfig withUpstreamRegistry(String url) {
        return edit(b -> b.upstreamRegistry = url);
    }

    public SandboxConfig withWarmVms(int vms) {
        return edit(b -> b.warmVms = vms);
    }

    /**
     * The host names requests may be addressed to besides loopback names and IP literals: the
     * extra ones, the listening host and the public URL's host.
     */
    public Set<String> allowedHosts() {
        Set<String> hosts = new LinkedHashSet<>(extraHosts);
        hosts.add(host.toLowerCase(Locale.ROOT));
        if (publicUrl != null) {
            String publicHost = URI.create(publicUrl).getHost();
            if (publicHost != null) {
                hosts.add(publicHost.toLowerCase(Locale.ROOT).replaceAll("^\\[|\\]$", ""));
            }
        }
        return hosts;
    }

    /** A copy with the changes {@code change} makes to the fields (validated again). */
    private SandboxConfig edit(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return new SandboxConfig(f.host, f.port, f.appKey, home, f.publicUrl, f.providers, f.debitNoteInterval,
                f.sessionTimeout, f.corsOrigins, f.maxPushBytes, f.extraHosts, f.upstreamRegistry, f.warmVms,
                f.noActivityTimeout, f.debitNoteAcceptTimeout, f.extraAppKeys);
    }

    /** The fields of a config while one is edited. */
    private static final class Fields {
        String host;
        int port;
        String appKey;
        String publicUrl;
        List<ProviderSpec> providers;
        Duration debitNoteInterval;
        Duration sessionTimeout;
        List<String> corsOrigins;
        long maxPushBytes;
        List<String> extraHosts;
        String upstreamRegistry;
        int warmVms;
        Duration noActivityTimeout;
        Duration debitNoteAcceptTimeout;
        List<String> extraAppKeys;

        Fields(SandboxConfig c) {
            host = c.host;
            port = c.port;
            appKey = c.appKey;
            publicUrl = c.publicUrl;
            providers = c.providers;
            debitNoteInterval = c.debitNoteInterval;
            sessionTimeout = c.sessionTimeout;
            corsOrigins = c.corsOrigins;
            maxPushBytes = c.maxPushBytes;
            extraHosts = c.extraHosts;
            upstreamRegistry = c.upstreamRegistry;
            warmVms = c.warmVms;
            noActivityTimeout = c.noActivityTimeout;
            debitNoteAcceptTimeout = c.debitNoteAcceptTimeout;
            extraAppKeys = c.extraAppKeys;
        }
    }

    /** An origin as browsers send it: scheme://host[:port], lower case, no path. */
    private static String origin(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT).replaceFirst("/+$", "");
        if (!trimmed.matches("https?://[a-z0-9.\\-\\[\\]:]+")) {
            throw new UserError("--cors takes origins such as http://localhost:3000 (scheme, host and port, no path), not '" + text + "'");
        }
        return trimmed;
    }

    private static List<String> list(Map<String, String> env, String name) {
        String v = value(env, name);
        return v == null ? List.of() : List.of(v.split("\\s*,\\s*"));
    }

    static long bytes(Map<String, String> env, String name, long fallback) {
        String v = value(env, name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UserError(name + " must be a number of bytes, got '" + v + "'");
        }
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    static int integer(Map<String, String> env, String name, int fallback) {
        String v = value(env, name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UserError(name + " must be a whole number, got '" + v + "'");
        }
    }

    static Duration seconds(Map<String, String> env, String name, Duration fallback) {
        String v = value(env, name);
        return v == null ? fallback : parseSeconds(name, v);
    }

    /** A number of seconds (fractions allowed) given by the user under {@code name}. */
    public static Duration parseSeconds(String name, String text) {
        try {
            double seconds = Double.parseDouble(text.trim());
            if (seconds < 0 || Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(Math.round(seconds * 1000));
        } catch (NumberFormatException e) {
            throw new UserError(name + " must be a number of seconds (0 or more), got '" + text + "'");
        }
    }
}
