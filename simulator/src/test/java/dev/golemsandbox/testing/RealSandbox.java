package dev.golemsandbox.testing;

import dev.golemsandbox.client.GolemRequestor;
import dev.golemsandbox.sandbox.Sandbox;
import dev.golemsandbox.sandbox.SandboxConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A whole sandbox with real VMs for a test class, on a free port, with the class's own data
 * directory (sharing only the prepared guest assets and default image), ready, and the Java
 * requestor connected to it. Closing it closes both.
 */
public record RealSandbox(Sandbox sandbox, GolemRequestor requestor) implements AutoCloseable {

    private static final Duration READY = Duration.ofMinutes(10);

    public static RealSandbox start(Path home) throws IOException, InterruptedException {
        return start(home, config -> config);
    }

    /** @param tweak changes to the defaults, e.g. {@code c -> c.withProviders(ProviderSpec.defaults(3))} */
    public static RealSandbox start(Path home, UnaryOperator<SandboxConfig> tweak) throws IOException, InterruptedException {
        SandboxConfig config = tweak.apply(SandboxConfig.defaults(TestRuntime.home(home.resolve("data"))).withPort(0));
        Sandbox sandbox = Sandbox.start(config, line -> System.out.println("[sandbox] " + line));
        try {
            sandbox.awaitReady(READY);
            return new RealSandbox(sandbox, GolemRequestor.connect(URI.create(sandbox.baseUrl()), sandbox.appKey()));
        } catch (IOException | InterruptedException | RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    @Override
    public void close() {
        requestor.close();
        sandbox.close();
    }
}
