package dev.golemsandbox.sandbox;

import dev.golemsandbox.home.SandboxHome;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Starts sandbox servers for tests: port 0, the test's own data dir, fake VM runtimes, optionally the fake activity API. */
public final class TestSandbox {

    /** Usage the fake activity API reports for every activity: 2 CPU seconds over 10 seconds. */
    public static final double CPU_SECONDS = 2.0;
    public static final double DURATION_SECONDS = 10.0;

    private TestSandbox() {
    }

    public static SandboxServer start(Path dataDir, UnaryOperator<SandboxConfig> tweak) {
        SandboxConfig config = tweak.apply(SandboxConfig.defaults(new SandboxHome(dataDir)).withPort(0));
        return SandboxServer.builder(config)
                .runtimes(spec -> new VmlessRuntime())
                .activity(agreements -> new FakeActivityApi(agreements, CPU_SECONDS, DURATION_SECONDS))
                .start();
    }

    public static SandboxServer start(Path dataDir) {
        return start(dataDir, c -> c);
    }

    public static SandboxClient client(SandboxServer server) {
        return new SandboxClient(server.baseUrl(), server.appKey());
    }
}
