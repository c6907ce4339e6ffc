package dev.golemsandbox.reserve;

import dev.golemsandbox.agent.AgentListener;
import dev.golemsandbox.agent.GuestAgent;
import dev.golemsandbox.home.FileTrees;
import dev.golemsandbox.vm.BootPriority;
import dev.golemsandbox.vm.QemuVm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One VM of the {@link WarmReserve}: booted for a key, never used, paused once its agent is ready
 * (unless an exe-unit claimed it while it booted), then handed to exactly one exe-unit. It owns a
 * directory of the reserve: the 9p share the VM booted with (empty: the agent mounts it at the
 * first volume) and the console log.
 *
 * <pre>{@code
 * ReservedVm reserved = reserve.take(key).orElseThrow();      // at deploy
 * reserved.moveShareTo(workDir.resolve("volumes"), deadline); // the share becomes the exe-unit's
 * QemuVm vm = reserved.awaken(exeUnit, deadline);             // at start: resume, priority, clock
 * ...
 * reserved.close();                                           // when the exe-unit stops
 * }</pre>
 *
 * States: booting, paused (waiting in the reserve), claimed (taken, not awake yet), awake (handed
 * over), gone. {@link #moveShareTo} is legal once claimed, before {@link #awaken}; {@link #close}
 * in any state.
 */
public final class ReservedVm implements AutoCloseable {

    private enum State { BOOTING, PAUSED, CLAIMED, AWAKE, GONE }

    private final WarmReserve reserve;
    private final ReserveKey key;
    private final Path dir;
    private final RelayListener relay;
    private final CompletableFuture<QemuVm> booted = new CompletableFuture<>();
    private final BootPriority priority = BootPriority.background(WarmReserve.NICENESS);
    private State state = State.BOOTING;
    private boolean paused;
    private Path share;

    ReservedVm(WarmReserve reserve, ReserveKey key, Path dir) {
        this.reserve = reserve;
        this.key = key;
        this.dir = dir;
        this.share = dir.resolve("volumes");
        this.relay = new RelayListener(() -> reserve.lost(this));
    }

    ReserveKey key() {
        return key;
    }

    synchronized boolean isPaused() {
        return state == State.PAUSED;
    }

    /** QEMU's pid once booted, for tests and diagnostics; -1 before. */
    public long pid() {
        QemuVm vm = bootedVm();
        return vm == null ? -1 : vm.pid();
    }

    /** The VM if its boot succeeded, else null (still booting or failed). */
    private QemuVm bootedVm() {
        return booted.isDone() && !booted.isCompletedExceptionally() ? booted.join() : null;
    }

    /** Boots the VM on the calling thread, then pauses it unless it was claimed meanwhile. */
    void boot(VmBooter booter) throws IOException {
        QemuVm vm;
        try {
            Files.createDirectories(share);
            vm = booter.boot(key, share, dir.resolve("vm").resolve("console.log"), relay, priority);
        } catch (IOException | RuntimeException e) {
            booted.completeExceptionally(e);
            close();
            throw e;
        }
        synchronized (this) {
            if (state == State.BOOTING) {
                try {
                    vm.pause();
                    paused = true;
                    state = State.PAUSED;
                } catch (IOException e) {
                    state = State.GONE;
                    vm.kill();
                    booted.completeExceptionally(e);
                    deleteDir();
                    throw new IOException("cannot pause reserved VM " + vm.config().name() + ": " + e.getMessage(), e);
                }
            } else if (state == State.GONE) {
                vm.kill();
                booted.completeExceptionally(new IOException("the reserved VM was discarded while it booted"));
                deleteDir();
                return;
            }
            // Inside the lock, so that close() either sees the VM or leaves it to the branch above.
            booted.complete(vm);
        }
    }

    /**
     * Marks it taken: it leaves the reserve and, if still booting, will not be paused, and its boot
     * goes on at normal priority, since someone now waits for it.
     */
    void claim() {
        synchronized (this) {
            if (state == State.BOOTING || state == State.PAUSED) {
                state = State.CLAIMED;
            }
        }
        priority.raise();
    }

    /**
     * Renames the VM's (still unused) share directory to {@code target}, which must not exist and
     * must be on the same file system: QEMU keeps the directory open, so the VM follows. QEMU opens
     * it as it starts, so a VM still booting is waited for. On failure the VM is killed.
     */
    public void moveShareTo(Path target, Duration deadline) throws IOException {
        try {
            awaitBoot(deadline);
            synchronized (this) {
                if (state != State.CLAIMED) {
                    throw new IOException("the reserved VM cannot give away its share now (" + state.name().toLowerCase() + ")");
                }
                Files.move(share, target, StandardCopyOption.ATOMIC_MOVE);
                share = target;
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private QemuVm awaitBoot(Duration deadline) throws IOException {
        try {
            return booted.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("the reserved VM did not come up: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the reserved VM did not come up within " + deadline.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the reserved VM", e);
        }
    }

    /**
     * Waits for the boot if it is still under way, resumes the VM, makes sure QEMU runs at normal priority,
     * sets the guest's clock (it stood still while paused) and hands the agent's notifications to
     * {@code listener}. On failure the VM is killed: boot another one.
     *
     * @throws IOException when the VM did not boot, cannot be resumed or does not answer
     */
    public QemuVm awaken(AgentListener listener, Duration deadline) throws IOException {
        QemuVm vm;
        try {
            vm = awaitBoot(deadline);
            boolean resume;
            synchronized (this) {
                if (state != State.CLAIMED) {
                    throw new IOException("the reserved VM is " + state.name().toLowerCase());
                }
                resume = paused;
            }
            if (resume) {
                vm.resume();
            }
            // Again: threads QEMU started since the claim.
            priority.raise();
            vm.agent().setClock(Instant.now()).get(GuestAgent.DEFAULT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            synchronized (this) {
                if (state != State.CLAIMED || !vm.isAlive()) {
                    throw new IOException("the reserved VM stopped while it was resumed");
                }
                state = State.AWAKE;
            }
        } catch (IOException e) {
            failed();
            throw e;
        } catch (ExecutionException | TimeoutException e) {
            failed();
            throw new IOException("the reserved VM does not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            failed();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while resuming the reserved VM", e);
        }
        relay.handTo(listener);
        return vm;
    }

    private void failed() {
        reserve.resumeFailed();
        close();
    }

    /**
     * Kills the VM if it still runs and deletes the reserve's files of it (the console log, kept
     * until then for diagnosis; not a share given away). Idempotent.
     */
    @Override
    public void close() {
        QemuVm vm;
        synchronized (this) {
            state = State.GONE;
            vm = bootedVm();
        }
        if (vm == null && !booted.isDone()) {
            // Still booting: boot() kills it when it comes up.
            return;
        }
        if (vm != null) {
            vm.kill();
        }
        deleteDir();
    }

    /** What is left goes when the reserve's directory does. */
    private void deleteDir() {
        FileTrees.deleteQuietly(dir);
    }
}
