package dev.golemsandbox.cli;

import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.provider.ProviderSpec;
import dev.golemsandbox.provider.ProvidersFile;
import dev.golemsandbox.sandbox.SandboxConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The server's flags, for any command that starts a sandbox ({@code @Mixin SandboxOptions}); each
 * overrides the environment variable of the same setting (see {@link SandboxConfig}).
 *
 * <pre>{@code
 * @Mixin SandboxOptions server;
 * @Mixin CommonOptions common;
 * SandboxConfig config = server.toConfig(common.home());
 * }</pre>
 */
public final class SandboxOptions {

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on. Default: $GOLEM_SANDBOX_HOST or 127.0.0.1.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (0: any free port). Default: $GOLEM_SANDBOX_PORT or 7465.")
    Integer port;

    @Option(names = "--app-key", paramLabel = "KEY", description = "App key requestors send (YAGNA_APPKEY). Repeat to accept more keys (e.g. try_golem), named app-key-2, ... Default: $GOLEM_SANDBOX_APPKEY (comma-separated) or one kept in the data directory.")
    List<String> appKeys;

    @Option(names = "--public-url", paramLabel = "URL", description = "Base URL requestors use, if not http://host:port (e.g. behind a port mapping). Default: $GOLEM_SANDBOX_PUBLIC_URL.")
    String publicUrl;

    @Option(names = "--providers", paramLabel = "N", description = "How many providers of the default fleet to start (1 to 8 threads, 1 to 16 GiB). Default: $GOLEM_SANDBOX_PROVIDERS or 12.")
    Integer providers;

    @Option(names = "--providers-file", paramLabel = "FILE", description = "YAML file listing the providers (wins over --providers). Default: $GOLEM_SANDBOX_PROVIDERS_FILE.")
    Path providersFile;

    @Option(names = "--debit-note-interval", paramLabel = "SECONDS", description = "Seconds between debit notes while an activity runs; 0 turns them off. Default: $GOLEM_SANDBOX_DEBIT_NOTE_INTERVAL or 0.")
    String debitNoteInterval;

    @Option(names = "--session-timeout", paramLabel = "SECONDS", description = "Seconds a requestor may stop polling events before its agreements are ended; 0: never. Default: $GOLEM_SANDBOX_SESSION_TIMEOUT or 60.")
    String sessionTimeout;

    @Option(names = "--no-activity-timeout", paramLabel = "SECONDS", description = "Seconds an agreement may run no activity before its provider breaks it (NoActivity); 0: never. Default: $GOLEM_SANDBOX_NO_ACTIVITY_TIMEOUT or 90.")
    String noActivityTimeout;

    @Option(names = "--debit-note-accept-timeout", paramLabel = "SECONDS", description = "The time to accept a debit note providers offer; a requestor may agree a lower one (down to 5). Default: $GOLEM_SANDBOX_DEBIT_NOTE_ACCEPT_TIMEOUT or 240.")
    String debitNoteAcceptTimeout;

    @Option(names = "--cors", paramLabel = "ORIGIN", description = "A browser origin allowed to call the API (e.g. http://localhost:3000); repeat for more. Default: $GOLEM_SANDBOX_CORS or none.")
    List<String> corsOrigins;

    @Option(names = "--allowed-host", paramLabel = "NAME", description = "A host name requests may be addressed to (e.g. a compose service name); loopback names and IP addresses always work. Repeat for more. Default: $GOLEM_SANDBOX_ALLOWED_HOSTS.")
    List<String> allowedHosts;

    @Option(names = "--max-push-bytes", paramLabel = "BYTES", description = "Largest image the registry accepts in a push. Default: $GOLEM_SANDBOX_MAX_PUSH_BYTES or 17179869184 (16 GiB).")
    Long maxPushBytes;

    @Option(names = "--upstream-registry", paramLabel = "URL", description = "Registry asked for images the local one does not hold (pull-through), or none. Default: $GOLEM_SANDBOX_UPSTREAM_REGISTRY or https://registry.golem.network.")
    String upstreamRegistry;
    @Option(names = "--warm-vms", paramLabel = "N", description = "Booted, paused VMs kept per recently used image and provider shape, so an activity starts in milliseconds instead of booting; 0 turns this off. Default: $GOLEM_SANDBOX_WARM_VMS or 1.")
    Integer warmVms;

    /** The configuration: the environment's, with the flags given here on top. */
    public SandboxConfig toConfig(SandboxHome home) {
        return toConfig(home, System.getenv());
    }

    SandboxConfig toConfig(SandboxHome home, Map<String, String> env) {
        SandboxConfig config = SandboxConfig.fromEnvironment(env, home);
        if (host != null) {
            config = config.withHost(host);
        }
        if (port != null) {
            config = config.withPort(port);
        }
        if (appKeys != null && !appKeys.isEmpty()) {
            config = config.withAppKey(appKeys.get(0)).withExtraAppKeys(appKeys.subList(1, appKeys.size()));
        }
        if (publicUrl != null) {
            config = config.withPublicUrl(publicUrl);
        }
        if (providersFile != null) {
            config = config.withProviders(ProvidersFile.load(providersFile));
        } else if (providers != null) {
            if (providers < 0) {
                throw new UserError("--providers cannot be negative, got " + providers);
            }
            config = config.withProviders(ProviderSpec.defaults(providers));
        }
        if (debitNoteInterval != null) {
            config = config.withDebitNoteInterval(SandboxConfig.parseSeconds("--debit-note-interval", debitNoteInterval));
        }
        if (sessionTimeout != null) {
            config = config.withSessionTimeout(SandboxConfig.parseSeconds("--session-timeout", sessionTimeout));
        }
        if (noActivityTimeout != null) {
            config = config.withNoActivityTimeout(SandboxConfig.parseSeconds("--no-activity-timeout", noActivityTimeout));
        }
        if (debitNoteAcceptTimeout != null) {
            config = config.withDebitNoteAcceptTimeout(SandboxConfig.parseSeconds("--debit-note-accept-timeout", debitNoteAcceptTimeout));
        }
        if (corsOrigins != null) {
            config = config.withCorsOrigins(corsOrigins);
        }
        if (allowedHosts != null) {
            config = config.withExtraHosts(allowedHosts);
        }
        if (maxPushBytes != null) {
            config = config.withMaxPushBytes(maxPushBytes);
        }
        if (upstreamRegistry != null) {
            config = config.withUpstreamRegistry(upstreamRegistry);
        }
        if (warmVms != null) {
            config = config.withWarmVms(warmVms);
        }
        return config;
    }
}
