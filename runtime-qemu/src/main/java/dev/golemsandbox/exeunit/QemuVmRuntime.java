package dev.golemsandbox.exeunit;

import dev.golemsandbox.agent.AgentListener;
import dev.golemsandbox.guest.GuestAssets;
import dev.golemsandbox.reserve.ForegroundWork;
import dev.golemsandbox.reserve.ReserveCounts;
import dev.golemsandbox.reserve.ReserveKey;
import dev.golemsandbox.reserve.WarmReserve;
import dev.golemsandbox.vm.AcceleratorChoice;
import dev.golemsandbox.vm.AcceleratorProbe;
import dev.golemsandbox.vm.BootPriority;
import dev.golemsandbox.vm.InetDevice;
import dev.golemsandbox.vm.QemuVm;
import dev.golemsandbox.vm.VmConfig;
import dev.golemsandbox.vm.VpnDevice;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link VmRuntime} that runs every exe-unit in its own QEMU microVM. Guest assets and the
 * accelerator are settled once, on the first start (or by {@link #prepare}), and shared by all
 * its exe-units.
 *
 * <pre>{@code
 * try (QemuVmRuntime runtime = new QemuVmRuntime(RuntimeSettings.of(SandboxHome.fromEnvironment()))) {
 *     ExeUnit unit = runtime.newExeUnit(Path.of("app.gvmi"), Resources.DEFAULT, workDir);
 *     unit.deploy();
 *     unit.start();
 *     unit.run(RunSpec.shell("echo hi"), OutputListener.NONE).result().join();
 * }
 * }</pre>
 */
public final class QemuVmRuntime implements VmRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(QemuVmRuntime.class);
    private static final AtomicInteger NEXT_UNIT = new AtomicInteger(1);

    private final RuntimeSettings settings;
    private final Set<QemuExeUnit> units = ConcurrentHashMap.newKeySet();
    private final ForegroundWork work = new ForegroundWork();
    private GuestAssets assets;
    private AcceleratorChoice accelerator;
    private volatile WarmReserve reserve;

    public QemuVmRuntime(RuntimeSettings settings) {
        this.settings = settings;
    }

    public RuntimeSettings settings() {
        return settings;
    }

    /** Builds or finds the guest assets and settles the accelerator now rather than at the first start. */
    public void prepare() throws IOException {
        accelerator();
    }

    /** The kernel and initramfs VMs boot, fetched and built on first use. */
    public synchronized GuestAssets assets() throws IOException {
        if (assets == null) {
            assets = GuestAssets.prepare(settings.home(), settings.env(), line -> {
                LOG.info("guest assets: {}", line);
                settings.progress().accept(line);
            });
        }
        return assets;
    }

    /** KVM or TCG, and why (probed once, then cached on disk). */
    public synchronized AcceleratorChoice accelerator() throws IOException {
        if (accelerator == null) {
            accelerator = AcceleratorProbe.choose(settings.home(), settings.env(), assets(), settings.progress());
            if (accelerator.reason().endsWith("(cached)")) {
                LOG.debug("VMs run under {}", accelerator);
            } else {
                LOG.info("VMs run under {}", accelerator);
            }
        }
        return accelerator;
    }

    /**
     * From now on keeps {@code vmsPerImage} booted, paused VMs for each recently used image and
     * shape, so that an activity's start resumes one instead of booting (see {@link WarmReserve}).
     * Legal once, before the first exe-unit.
     *
     * @param dir where the reserved VMs' shares and logs live until taken: on the same file system
     *            as the exe-units' work directories, deleted by {@link #close}
     */
    public synchronized void keepWarm(int vmsPerImage, Path dir) throws IOException {
        if (reserve != null) {
            throw new IllegalStateException("the runtime already keeps a reserve");
        }
        reserve = new WarmReserve(vmsPerImage, dir, this::bootForReserve, work);
    }

    /** The reserve's counts, or empty when it keeps none. */
    public Optional<ReserveCounts> reserveCounts() {
        WarmReserve current = reserve;
        return current == null ? Optional.empty() : Optional.of(current.counts());
    }

    /**
     * Waits until the reserve holds {@code vms} paused VMs (benchmarks and tests that want the warm
     * path); false after {@code timeout}, or at once when it keeps none.
     */
    public boolean awaitWarm(int vms, Duration timeout) throws InterruptedException {
        WarmReserve current = reserve;
        return current != null && current.awaitPaused(vms, timeout);
    }

    /** The reserve, or null when it keeps none. */
    WarmReserve reserve() {
        return reserve;
    }

    /** Work a requestor waits for (boots, commands): the reserve refills only between. */
    ForegroundWork work() {
        return work;
    }

    /** Boots a VM the same way {@link QemuExeUnit#start} does, for the reserve. */
    private QemuVm bootForReserve(ReserveKey key, Path shareDir, Path consoleLog, AgentListener listener,
                                  BootPriority priority) throws IOException {
        VmConfig config = vmConfig(nextVmName(), key.image(), shareDir,
                new Resources(key.cpus(), key.memoryMib(), key.storageMib()), consoleLog);
        return QemuVm.boot(config, listener, settings.bootDeadline(), priority);
    }

    /** What every VM of this runtime boots with. */
    VmConfig vmConfig(String name, Path image, Path shareDir, Resources resources, Path consoleLog) throws IOException {
        return vmConfig(name, image, shareDir, resources, consoleLog, null, null);
    }

    /** The same with a network card for a VPN and one for outbound access (each null: none). */
    VmConfig vmConfig(String name, Path image, Path shareDir, Resources resources, Path consoleLog, VpnDevice vpn,
                      InetDevice inet) throws IOException {
        return new VmConfig(name, assets(), accelerator().accelerator(), image, shareDir,
                resources.cpuThreads(), resources.memoryMib(), resources.storageMib(), consoleLog, false, vpn, inet);
    }

    private static String nextVmName() {
        return "vm-" + NEXT_UNIT.getAndIncrement();
    }

    @Override
    public ExeUnit newExeUnit(Path image, Resources resources, Path workDir) {
        QemuExeUnit unit = new QemuExeUnit(this, nextVmName(), image, resources, workDir);
        units.add(unit);
        return unit;
    }

    void forget(QemuExeUnit unit) {
        units.remove(unit);
    }

    @Override
    public boolean supportsVpn() {
        return true;
    }

    @Override
    public void close() {
        for (QemuExeUnit unit : List.copyOf(units)) {
            unit.stop();
        }
        WarmReserve current = reserve;
        if (current != null) {
            current.close();
        }
    }
}
