package dev.golemsandbox.testing;

import dev.golemsandbox.exeunit.QemuVmRuntime;
import dev.golemsandbox.exeunit.RuntimeSettings;
import dev.golemsandbox.home.SandboxHome;
import java.nio.file.Path;

/**
 * The data directory and runtime VM tests use: {@code $GOLEM_SANDBOX_HOME} when set (CI points
 * it at a cache that survives {@code mvn clean}), else a fixed directory under the temp dir, never
 * the user's own data directory. Guest assets are built there once and reused by every test.
 */
public final class TestRuntime {

    private TestRuntime() {
    }

    public static SandboxHome home() {
        String explicit = System.getenv(SandboxHome.ENV);
        if (explicit != null && !explicit.isBlank()) {
            return new SandboxHome(Path.of(explicit).toAbsolutePath());
        }
        return new SandboxHome(Path.of(System.getProperty("java.io.tmpdir"), "golem-sandbox-test-home"));
    }

    /** A runtime on {@link #home()} that prints its progress lines (kernel download, probe). */
    public static QemuVmRuntime create() {
        return new QemuVmRuntime(RuntimeSettings.of(home()).withProgress(line -> System.out.println("[runtime] " + line)));
    }
}
