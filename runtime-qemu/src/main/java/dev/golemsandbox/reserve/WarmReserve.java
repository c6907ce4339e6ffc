package dev.golemsandbox.reserve;

import dev.golemsandbox.home.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Booted, never-used VMs kept paused for the next activity of the same image and shape: its start
 * then resumes one (milliseconds) instead of booting (seconds under TCG). For each recently used
 * {@link ReserveKey} it keeps {@code perKey} VMs. One refill thread boots them, one at a time, at
 * a low priority, and only once no {@link ForegroundWork} has run for {@link #QUIET}, so the
 * reserve never slows an activity down. A key unused for {@link #KEY_TTL} is dropped with its VMs,
 * and at most {@link #MAX_KEYS} keys are kept (the least recently used goes first).
 *
 * <pre>{@code
 * WarmReserve reserve = new WarmReserve(1, dir, booter, work);
 * Optional<ReservedVm> vm = reserve.take(key);   // also marks the key as used: it is refilled
 * reserve.close();                                // kills every VM still waiting, deletes dir
 * }</pre>
 *
 * Thread-safe. After {@link #close} nothing is taken or booted.
 */
public final class WarmReserve implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WarmReserve.class);

    static final Duration KEY_TTL = Duration.ofMinutes(15);
    static final int MAX_KEYS = 4;
    /** How long nothing may have run before a refill boot starts: the gap between one requestor's batches is shorter. */
    static final Duration QUIET = Duration.ofMillis(500);
    static final int NICENESS = 10;
    /** A key whose boot failed is not tried again sooner (a broken image must not boot in a loop). */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(60);
    private static final Duration EXPIRY_CHECK = Duration.ofSeconds(30);

    private final int perKey;
    private final Path dir;
    private final VmBooter booter;
    private final ForegroundWork work;
    /** Keys by last use, least recent first. */
    private final LinkedHashMap<ReserveKey, Instant> lastUsed = new LinkedHashMap<>();
    private final Map<ReserveKey, Instant> failedAt = new HashMap<>();
    /** VMs booting or paused that nobody has taken yet. */
    private final List<ReservedVm> waiting = new ArrayList<>();
    private final Thread refill;
    private int nextDir;
    private long taken;
    private long missed;
    private long failedResumes;
    private boolean closed;

    /**
     * Starts the (idle) refill thread.
     *
     * @param perKey VMs to keep per recently used key (at least 1)
     * @param dir    a directory for the VMs' shares and logs, created and in the end deleted; the
     *               exe-units' directories must be on the same file system (shares are renamed)
     */
    public WarmReserve(int perKey, Path dir, VmBooter booter, ForegroundWork work) throws IOException {
        if (perKey < 1) {
            throw new IllegalArgumentException("a reserve keeps at least 1 VM per image, got " + perKey);
        }
        this.perKey = perKey;
        this.dir = Files.createDirectories(dir);
        this.booter = booter;
        this.work = work;
        this.refill = new Thread(this::refillLoop, "warm-reserve-refill");
        refill.setDaemon(true);
        refill.setPriority(Thread.MIN_PRIORITY);
        refill.start();
    }

    /**
     * A VM of {@code key} that was never used, paused or still booting, or empty when there is
     * none (boot one instead). Either way the key counts as used now, so the reserve keeps VMs of
     * it from here on.
     */
    public synchronized Optional<ReservedVm> take(ReserveKey key) {
        if (closed) {
            return Optional.empty();
        }
        lastUsed.remove(key);
        lastUsed.put(key, Instant.now());
        notifyAll();
        ReservedVm best = null;
        for (ReservedVm vm : waiting) {
            if (vm.key().equals(key) && (best == null || vm.isPaused() && !best.isPaused())) {
                best = vm;
            }
        }
        if (best == null) {
            missed++;
            return Optional.empty();
        }
        waiting.remove(best);
        best.claim();
        taken++;
        notifyAll();
        return Optional.of(best);
    }

    /** What the reserve holds and has done so far. */
    public synchronized ReserveCounts counts() {
        return new ReserveCounts(waiting.size(), (int) waiting.stream().filter(ReservedVm::isPaused).count(),
                taken, missed, failedResumes);
    }

    /** The QEMU pids of the VMs waiting in the reserve now (booted ones only), for tests and diagnostics. */
    public synchronized List<Long> waitingPids() {
        return waiting.stream().map(ReservedVm::pid).filter(pid -> pid > 0).toList();
    }

    /** Waits until {@code vms} VMs are paused in the reserve; false if that did not happen within {@code timeout}. */
    public synchronized boolean awaitPaused(int vms, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (counts().paused() < vms) {
            long left = end - System.nanoTime();
            if (left <= 0 || closed) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized void resumeFailed() {
        failedResumes++;
    }

    /** A waiting VM whose QEMU ended on its own: it leaves the reserve (and is replaced). */
    void lost(ReservedVm vm) {
        boolean was;
        synchronized (this) {
            was = waiting.remove(vm);
            notifyAll();
        }
        if (was) {
            LOG.warn("a VM of the reserve for {} stopped on its own; another one will be booted", vm.key());
            vm.close();
        }
    }

    /** Kills every VM still waiting (a boot under way is interrupted) and deletes the directory. */
    @Override
    public void close() {
        List<ReservedVm> left;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            left = List.copyOf(waiting);
            waiting.clear();
            notifyAll();
        }
        refill.interrupt();
        left.forEach(ReservedVm::close);
        try {
            refill.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }

    private void refillLoop() {
        try {
            while (true) {
                ReserveKey key = awaitNeed();
                if (key == null) {
                    return;
                }
                work.awaitQuiet(QUIET);
                ReservedVm vm;
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    if (!needs(key, Instant.now())) {
                        continue;
                    }
                    vm = new ReservedVm(this, key, dir.resolve(Integer.toString(++nextDir)));
                    waiting.add(vm);
                }
                try {
                    vm.boot(booter);
                } catch (IOException | RuntimeException e) {
                    synchronized (this) {
                        waiting.remove(vm);
                        failedAt.put(key, Instant.now());
                    }
                    if (!Thread.currentThread().isInterrupted()) {
                        LOG.warn("could not boot a VM for the reserve of {} (trying again in {} s): {}", key,
                                RETRY_AFTER_FAILURE.toSeconds(), e.getMessage());
                    }
                }
                synchronized (this) {
                    notifyAll();
                }
            }
        } catch (InterruptedException e) {
            // Closed.
        }
    }

    /** The key most in need of a VM, waiting until there is one; null once closed. */
    private synchronized ReserveKey awaitNeed() throws InterruptedException {
        while (!closed) {
            Instant now = Instant.now();
            dropExpired(now);
            ReserveKey neediest = null;
            long fewest = Long.MAX_VALUE;
            for (ReserveKey key : lastUsed.keySet()) {
                long have = waiting.stream().filter(vm -> vm.key().equals(key)).count();
                if (needs(key, now) && have < fewest) {
                    neediest = key;
                    fewest = have;
                }
            }
            if (neediest != null) {
                return neediest;
            }
            wait(EXPIRY_CHECK.toMillis());
        }
        return null;
    }

    private boolean needs(ReserveKey key, Instant now) {
        Instant failed = failedAt.get(key);
        if (failed != null && failed.plus(RETRY_AFTER_FAILURE).isAfter(now)) {
            return false;
        }
        return lastUsed.containsKey(key) && waiting.stream().filter(vm -> vm.key().equals(key)).count() < perKey;
    }

    /** Forgets keys unused for too long, or beyond the most recent few, with their waiting VMs. */
    private void dropExpired(Instant now) {
        List<ReserveKey> dropped = new ArrayList<>();
        int excess = lastUsed.size() - MAX_KEYS;
        for (Iterator<Map.Entry<ReserveKey, Instant>> it = lastUsed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ReserveKey, Instant> entry = it.next();
            if (excess-- > 0 || entry.getValue().plus(KEY_TTL).isBefore(now)) {
                dropped.add(entry.getKey());
                it.remove();
            }
        }
        if (dropped.isEmpty()) {
            return;
        }
        List<ReservedVm> idle = waiting.stream().filter(vm -> dropped.contains(vm.key())).toList();
        waiting.removeAll(idle);
        failedAt.keySet().removeAll(dropped);
        // Killing takes a moment: not under the lock.
        Thread killer = new Thread(() -> idle.forEach(ReservedVm::close), "warm-reserve-drop");
        killer.setDaemon(true);
        killer.start();
    }

    /** What is left goes with the owner's sweep of abandoned directories. */
    private static void deleteTree(Path root) {
        FileTrees.deleteQuietly(root);
    }
}
