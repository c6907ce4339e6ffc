package dev.golemsandbox.exeunit;

import dev.golemsandbox.home.SandboxHome;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How a {@link QemuVmRuntime} finds its guest assets and runs its VMs.
 *
 * @param home           the data directory (guest assets and the accelerator verdict are cached there)
 * @param env            environment read for overrides ({@code GOLEM_SANDBOX_KERNEL}, {@code _INITRAMFS},
 *                       {@code _MODULES}, {@code _ACCEL})
 * @param progress       receives one line per long step (kernel download, initramfs build, KVM probe)
 * @param outputCapBytes how much of each stream of a process is kept in its {@link ProcessResult}
 * @param bootDeadline   how long a VM may take from QEMU start to a ready agent
 */
public record RuntimeSettings(SandboxHome home, Map<String, String> env, Consumer<String> progress,
                              long outputCapBytes, Duration bootDeadline) {

    /** 16 MiB per stream, as much as a requestor's {@code atEnd} capture reasonably wants. */
    public static final long DEFAULT_OUTPUT_CAP = 16L << 20;
    /** Generous for TCG on a busy machine; a hung boot still fails in bounded time. */
    public static final Duration DEFAULT_BOOT_DEADLINE = Duration.ofSeconds(60);

    public RuntimeSettings {
        env = Map.copyOf(env);
        if (outputCapBytes < 0) {
            throw new IllegalArgumentException("output cap must not be negative, got " + outputCapBytes);
        }
    }

    /** The process environment, quiet progress, default cap and deadline. */
    public static RuntimeSettings of(SandboxHome home) {
        return new RuntimeSettings(home, System.getenv(), line -> { }, DEFAULT_OUTPUT_CAP, DEFAULT_BOOT_DEADLINE);
    }

    public RuntimeSettings withProgress(Consumer<String> newProgress) {
        return new RuntimeSettings(home, env, newProgress, outputCapBytes, bootDeadline);
    }

    public RuntimeSettings withEnv(Map<String, String> newEnv) {
        return new RuntimeSettings(home, newEnv, progress, outputCapBytes, bootDeadline);
    }
}
