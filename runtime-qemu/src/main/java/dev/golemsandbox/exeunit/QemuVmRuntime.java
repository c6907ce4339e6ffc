package dev.golemsandbox.exeunit;

import dev.golemsandbox.guest.GuestAssets;
import dev.golemsandbox.vm.AcceleratorChoice;
import dev.golemsandbox.vm.AcceleratorProbe;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
    private GuestAssets assets;
    private AcceleratorChoice accelerator;

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

    @Override
    public ExeUnit newExeUnit(Path image, Resources resources, Path workDir) {
        QemuExeUnit unit = new QemuExeUnit(this, "vm-" + NEXT_UNIT.getAndIncrement(), image, resources, workDir);
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
    }
}
