package dev.golemsandbox.vm;

import dev.golemsandbox.agent.AgentListener;
import dev.golemsandbox.guest.GuestAssets;
import dev.golemsandbox.guest.HostCommand;
import dev.golemsandbox.home.AtomicFile;
import dev.golemsandbox.home.SandboxHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Decides between KVM and TCG. KVM is trusted only when {@code /dev/kvm} answers its API version
 * AND a tiny guest really boots under it before a deadline: on nested hosts /dev/kvm often opens
 * while a guest hangs forever. The device is asked on every call (it comes and goes, e.g. with a
 * container's device list); the boot's verdict is cached in the data directory per QEMU version,
 * host kernel and guest assets. A guest that booted is trusted until one of those changes; a boot
 * that failed or timed out may have been a busy host, so that verdict is only kept for
 * {@link #FAILED_PROBE_KEPT} and the next start after it probes again.
 * {@value #ENV}{@code =kvm|tcg} overrides both.
 *
 * <pre>{@code
 * AcceleratorChoice choice = AcceleratorProbe.choose(home, System.getenv(), assets, System.err::println);
 * }</pre>
 */
public final class AcceleratorProbe {

    public static final String ENV = "GOLEM_SANDBOX_ACCEL";
    /** A KVM guest that says hello later than this is taken as hung. */
    static final Duration PROBE_DEADLINE = Duration.ofSeconds(10);
    /** How long a failed probe's TCG verdict is reused: starts stay fast, a slow boot is not final. */
    static final Duration FAILED_PROBE_KEPT = Duration.ofHours(24);
    private static final String VERDICT_FILE = "accelerator-verdict";
    /** Starts the verdict file's fourth line, which only a TCG verdict from a failed boot has. */
    private static final String EXPIRES = "probe again after ";

    /** The KVM API version of the device, or an exception saying why it cannot be used. */
    interface Device {
        int apiVersion() throws IOException;
    }

    /** Boots the test guest under KVM, failing when it does not come up within the deadline. */
    interface TestBoot {
        void boot(SandboxHome home, GuestAssets assets, Duration deadline) throws VmBootException, IOException;
    }

    private AcceleratorProbe() {
    }

    /**
     * The accelerator to use and why; when not overridden, probes at most once per cache key (or,
     * after a failed probe, again once {@link #FAILED_PROBE_KEPT} has passed).
     */
    public static AcceleratorChoice choose(SandboxHome home, Map<String, String> env, GuestAssets assets,
                                           Consumer<String> progress) throws IOException {
        return choose(home, env, assets, progress, KvmDevice::apiVersion, AcceleratorProbe::bootUnderKvm, Clock.systemUTC());
    }

    static AcceleratorChoice choose(SandboxHome home, Map<String, String> env, GuestAssets assets,
                                    Consumer<String> progress, Device device, TestBoot testBoot, Clock clock) throws IOException {
        String forced = env.getOrDefault(ENV, "").trim().toLowerCase();
        switch (forced) {
            case "kvm":
                return new AcceleratorChoice(Accelerator.KVM, ENV + "=kvm");
            case "tcg":
                return new AcceleratorChoice(Accelerator.TCG, ENV + "=tcg");
            case "", "auto":
                break;
            default:
                throw new IOException(ENV + "=" + env.get(ENV) + " is not one of kvm, tcg, auto");
        }
        AcceleratorChoice unusable = deviceVerdict(device);
        if (unusable != null) {
            return unusable;
        }
        AcceleratorChoice known = cached(home, assets, clock);
        if (known != null) {
            return known;
        }
        progress.accept("probing KVM: booting a test guest (at most " + PROBE_DEADLINE.toSeconds() + " s)");
        AcceleratorChoice choice;
        String kept;
        try {
            testBoot.boot(home, assets, PROBE_DEADLINE);
            choice = new AcceleratorChoice(Accelerator.KVM, "/dev/kvm works: a test guest booted under KVM");
            kept = "";
        } catch (VmBootException e) {
            choice = new AcceleratorChoice(Accelerator.TCG, "a test guest did not boot under KVM within "
                    + PROBE_DEADLINE.toSeconds() + " s (nested virtualization?)");
            kept = EXPIRES + clock.instant().plus(FAILED_PROBE_KEPT) + "\n";
        }
        AtomicFile.write(home.guest().resolve(VERDICT_FILE), (cacheKey(assets) + "\n" + choice.accelerator().name() + "\n"
                + choice.reason() + "\n" + kept).getBytes(StandardCharsets.UTF_8));
        return choice;
    }

    /** What the cached verdict says now, without probing; null when there is none for these assets. */
    public static AcceleratorChoice cached(SandboxHome home, GuestAssets assets) throws IOException {
        return cached(home, assets, Clock.systemUTC());
    }

    /**
     * The cached verdict when it is for these assets and still holds: a KVM verdict until the key
     * changes, a TCG one until its expiry (a TCG verdict without one, as older versions wrote it
     * after any failed boot, counts as expired).
     */
    private static AcceleratorChoice cached(SandboxHome home, GuestAssets assets, Clock clock) throws IOException {
        Path cache = home.guest().resolve(VERDICT_FILE);
        if (!Files.isRegularFile(cache)) {
            return null;
        }
        List<String> lines = Files.readAllLines(cache, StandardCharsets.UTF_8);
        if (lines.size() < 3 || !lines.get(0).equals(cacheKey(assets))) {
            return null;
        }
        Accelerator accelerator;
        try {
            accelerator = Accelerator.valueOf(lines.get(1));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (accelerator == Accelerator.KVM) {
            return new AcceleratorChoice(accelerator, lines.get(2) + " (cached)");
        }
        if (lines.size() < 4 || !lines.get(3).startsWith(EXPIRES)) {
            return null;
        }
        Instant expiry;
        try {
            expiry = Instant.parse(lines.get(3).substring(EXPIRES.length()));
        } catch (DateTimeParseException e) {
            return null;
        }
        if (!clock.instant().isBefore(expiry)) {
            return null;
        }
        return new AcceleratorChoice(accelerator, lines.get(2) + " (cached; " + EXPIRES + expiry + ")");
    }

    /** TCG and why, when the device cannot be used; null when it answers the expected API version. */
    private static AcceleratorChoice deviceVerdict(Device device) {
        int version;
        try {
            version = device.apiVersion();
        } catch (IOException e) {
            return new AcceleratorChoice(Accelerator.TCG, "KVM unusable: " + e.getMessage());
        }
        if (version != KvmDevice.EXPECTED_API_VERSION) {
            return new AcceleratorChoice(Accelerator.TCG, "KVM unusable: /dev/kvm reports API version " + version);
        }
        return null;
    }

    private static void bootUnderKvm(SandboxHome home, GuestAssets assets, Duration deadline) throws IOException {
        Path dir = Files.createTempDirectory(SandboxHome.ensure(home.guest()), ".probe-");
        VmConfig config = new VmConfig("kvm-probe", assets, Accelerator.KVM, null, null, 1, 128, 16,
                dir.resolve("console.log"), true);
        try (QemuVm vm = QemuVm.boot(config, AgentListener.IGNORE, deadline)) {
            vm.kill();
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    static String cacheKey(GuestAssets assets) throws IOException {
        String qemu = HostCommand.run(List.of(QemuCommand.QEMU, "--version"), null, Duration.ofSeconds(30))
                .lines().findFirst().orElse("unknown");
        String hostKernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        return qemu + " | host " + hostKernel + " | guest " + assets.version();
    }

}
