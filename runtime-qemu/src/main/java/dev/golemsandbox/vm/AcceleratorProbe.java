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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Decides between KVM and TCG. KVM is trusted only when {@code /dev/kvm} answers its API version
 * AND a tiny guest really boots under it before a deadline: on nested hosts /dev/kvm often opens
 * while a guest hangs forever. The device is asked on every call (it comes and goes, e.g. with a
 * container's device list); the boot's verdict is cached in the data directory per QEMU version,
 * host kernel and guest assets. {@value #ENV}{@code =kvm|tcg} overrides both.
 *
 * <pre>{@code
 * AcceleratorChoice choice = AcceleratorProbe.choose(home, System.getenv(), assets, System.err::println);
 * }</pre>
 */
public final class AcceleratorProbe {

    public static final String ENV = "GOLEM_SANDBOX_ACCEL";
    /** A KVM guest that says hello later than this is taken as hung. */
    static final Duration PROBE_DEADLINE = Duration.ofSeconds(10);
    private static final String VERDICT_FILE = "accelerator-verdict";

    /** The KVM API version of the device, or an exception saying why it cannot be used. */
    interface Device {
        int apiVersion() throws IOException;
    }

    private AcceleratorProbe() {
    }

    /** The accelerator to use and why; probes (at most once per cache key) when not overridden. */
    public static AcceleratorChoice choose(SandboxHome home, Map<String, String> env, GuestAssets assets,
                                           Consumer<String> progress) throws IOException {
        return choose(home, env, assets, progress, KvmDevice::apiVersion);
    }

    static AcceleratorChoice choose(SandboxHome home, Map<String, String> env, GuestAssets assets,
                                    Consumer<String> progress, Device device) throws IOException {
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
        AcceleratorChoice known = cached(home, assets);
        if (known != null) {
            return known;
        }
        AcceleratorChoice choice = probe(home, assets, progress);
        AtomicFile.write(home.guest().resolve(VERDICT_FILE), (cacheKey(assets) + "\n" + choice.accelerator().name() + "\n" + choice.reason() + "\n")
                .getBytes(StandardCharsets.UTF_8));
        return choice;
    }

    /** What the cached verdict says now, without probing; null when there is none for these assets. */
    public static AcceleratorChoice cached(SandboxHome home, GuestAssets assets) throws IOException {
        Path cache = home.guest().resolve(VERDICT_FILE);
        if (!Files.isRegularFile(cache)) {
            return null;
        }
        List<String> lines = Files.readAllLines(cache, StandardCharsets.UTF_8);
        if (lines.size() < 3 || !lines.get(0).equals(cacheKey(assets))) {
            return null;
        }
        return new AcceleratorChoice(Accelerator.valueOf(lines.get(1)), lines.get(2) + " (cached)");
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

    private static AcceleratorChoice probe(SandboxHome home, GuestAssets assets, Consumer<String> progress) throws IOException {
        progress.accept("probing KVM: booting a test guest (at most " + PROBE_DEADLINE.toSeconds() + " s)");
        Path dir = Files.createTempDirectory(SandboxHome.ensure(home.guest()), ".probe-");
        VmConfig config = new VmConfig("kvm-probe", assets, Accelerator.KVM, null, null, 1, 128, 16,
                dir.resolve("console.log"), true);
        try (QemuVm vm = QemuVm.boot(config, AgentListener.IGNORE, PROBE_DEADLINE)) {
            vm.kill();
            return new AcceleratorChoice(Accelerator.KVM, "/dev/kvm works: a test guest booted under KVM");
        } catch (VmBootException e) {
            return new AcceleratorChoice(Accelerator.TCG, "a test guest did not boot under KVM within "
                    + PROBE_DEADLINE.toSeconds() + " s (nested virtualization?)");
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
