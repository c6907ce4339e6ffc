package dev.golemsandbox.exeunit;

import dev.golemsandbox.vm.FileSizeLimit;
import dev.golemsandbox.volume.VolumeUsage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a guest from filling the host's disk through its volumes, without root: it measures the
 * share every {@link #INTERVAL} and, while the volumes hold more than the agreed storage, sets
 * QEMU's file size limit to 0, so every write of the guest into a volume fails with EFBIG ("File
 * too large"); once the guest has deleted enough, writes work again. What a guest writes between
 * two measurements still lands, so the volumes can pass the cap by that much.
 */
final class VolumeQuota implements AutoCloseable {

    /** How often the share is measured. */
    static final Duration INTERVAL = Duration.ofMillis(250);

    private static final Logger LOG = LoggerFactory.getLogger(VolumeQuota.class);
    private static final ScheduledExecutorService CHECKS = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "volume-quota");
        thread.setDaemon(true);
        return thread;
    });

    private final Path shareDir;
    private final long capBytes;
    private final long qemuPid;
    private final ScheduledFuture<?> checks;
    private boolean blocked;

    private VolumeQuota(Path shareDir, long capBytes, long qemuPid) {
        this.shareDir = shareDir;
        this.capBytes = capBytes;
        this.qemuPid = qemuPid;
        this.checks = CHECKS.scheduleWithFixedDelay(this::check, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts watching {@code shareDir} for the VM whose QEMU is {@code qemuPid}. */
    static VolumeQuota watch(Path shareDir, long capBytes, long qemuPid) {
        return new VolumeQuota(shareDir, capBytes, qemuPid);
    }

    private synchronized void check() {
        try {
            boolean block = VolumeUsage.bytes(shareDir) > capBytes;
            if (block != blocked) {
                FileSizeLimit.set(qemuPid, block ? 0 : FileSizeLimit.UNLIMITED);
                blocked = block;
            }
        } catch (IOException | RuntimeException e) {
            // The VM may be gone already; the next check (or close) settles it.
            LOG.debug("volume quota check of {} failed", shareDir, e);
        }
    }

    @Override
    public void close() {
        checks.cancel(false);
    }
}
