package dev.golemsandbox.activity;

import dev.golemsandbox.activity.exescript.ExeCommand;
import dev.golemsandbox.activity.transfer.DirectoryTree;
import dev.golemsandbox.exeunit.ExeUnit;
import dev.golemsandbox.exeunit.ExeUnitException;
import dev.golemsandbox.exeunit.ExeUnitState;
import dev.golemsandbox.exeunit.ExeUnitTransition;
import dev.golemsandbox.exeunit.OutputListener;
import dev.golemsandbox.exeunit.RunSpec;
import dev.golemsandbox.exeunit.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One activity: its exe-unit (made by deploy), its batches, and the state machine of a
 * provider's exe-unit on top of it. Commands take a state transition with {@link #begin} and
 * release it with {@link #end}; only one stateful command runs at a time, as on a provider.
 *
 * <p>States: Initialized --deploy--> Deployed --start--> Ready; run and transfer keep it Ready;
 * destroy (or the VM dying) makes it Terminated, and it stays readable. Thread-safe.
 */
final class ProviderActivity {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderActivity.class);
    /** How long a VM told to panic may take to exit before it is powered off instead. */
    private static final Duration CRASH_WAIT = Duration.ofSeconds(5);

    private final String id;
    private final long sequence;
    private final ActivityAgreement agreement;
    private final Path workDir;
    private final Instant created = Instant.now();
    private final Map<String, Batch> batches = new ConcurrentHashMap<>();
    private final List<Batch> batchOrder = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> positions = new HashMap<>();
    private int forgotten;
    private final Set<BatchExecution> running = ConcurrentHashMap.newKeySet();

    private ExeUnit exeUnit;
    /** The VM's links to a VPN and to the outbound gateway: held as long as the VM, closed with it. */
    private final List<AutoCloseable> links = new ArrayList<>();
    private volatile List<Volume> volumes = List.of();
    private int exeUnits;
    private ExeUnitState pending;
    private boolean destroyed;
    private String reason;
    private Instant ended;
    private double finalCpuSeconds;
    private String crashReason;
    /** The exe-unit whose disk is full now (the disk-full fault), if any; guarded by {@link #diskLock}. */
    private ExeUnit fullDisk;
    /** Held while a VM's disk is filled or unfilled, which waits for its agent. */
    private final Object diskLock = new Object();

    ProviderActivity(String id, long sequence, ActivityAgreement agreement, Path workDir) {
        this.id = id;
        this.sequence = sequence;
        this.agreement = agreement;
        this.workDir = workDir;
    }

    String id() {
        return id;
    }

    ActivityAgreement agreement() {
        return agreement;
    }

    /** Creation order among the service's activities. */
    long sequence() {
        return sequence;
    }

    /** Scratch space for transfers that pass through the provider (e.g. HTTP to gftp). */
    Path scratchDir() {
        return workDir.resolve("transfers");
    }

    synchronized ActivityState state() {
        ExeUnitState current = currentState();
        String died = diedOnItsOwn();
        // A VM that ended by itself (crashed, or killed for breaking the agent protocol) is both why and the error.
        return new ActivityState(current, destroyed ? null : pending, died != null ? died : reason, died);
    }

    /** Why the VM ended when nobody destroyed the activity, or null while it runs or was destroyed. */
    private String diedOnItsOwn() {
        if (destroyed || exeUnit == null || exeUnit.state() != ExeUnitState.TERMINATED) {
            return null;
        }
        return crashReason != null ? crashReason : exeUnit.terminationReason().orElse("the VM stopped on its own");
    }

    Optional<Batch> batch(String batchId) {
        return Optional.ofNullable(batches.get(batchId));
    }

    /** Registers a new batch and its execution; refused once the activity is destroyed. */
    synchronized void addBatch(Batch batch, BatchExecution execution) {
        if (destroyed) {
            throw new IllegalStateException("activity " + id + " is destroyed");
        }
        batches.put(batch.id(), batch);
        batchOrder.add(batch);
        positions.put(batch.id(), positions.size() + forgotten);
        running.add(execution);
    }

    /** The batch's position among all batches the activity was sent (stable when old ones are forgotten). */
    synchronized int positionOf(Batch batch) {
        return positions.getOrDefault(batch.id(), -1);
    }

    /** Records the volumes of the image deployed, with the host directories behind them. */
    void deployed(List<Volume> deployedVolumes) {
        volumes = List.copyOf(deployedVolumes);
    }

    /** The volumes of the deployed image (none before deploy). */
    List<Volume> volumes() {
        return volumes;
    }

    /** Every batch sent to the activity and not forgotten yet, in the order it came. */
    List<Batch> batches() {
        return List.copyOf(batchOrder);
    }

    /** Forgets batches that finished before {@code cutoff}: their results were long collected. */
    synchronized void forgetBatchesFinishedBefore(Instant cutoff) {
        for (Batch batch : batchOrder) {
            if (batch.finishedBefore(cutoff)) {
                batchOrder.remove(batch);
                batches.remove(batch.id());
                positions.remove(batch.id());
                forgotten++;
            }
        }
    }

    /** Whether the activity was destroyed before {@code cutoff} (so it may be forgotten). */
    synchronized boolean destroyedBefore(Instant cutoff) {
        return destroyed && ended.isBefore(cutoff);
    }

    void batchEnded(BatchExecution execution) {
        running.remove(execution);
    }

    /** Stops every running batch but {@code keep}, as the {@code terminate} command does. */
    void stopBatchesOtherThan(BatchExecution keep, String why) {
        for (BatchExecution execution : running) {
            if (execution != keep) {
                execution.abort(why);
            }
        }
    }

    /**
     * Takes the exe-unit transition of a command ({@link ExeCommand#transition()}), or says why it
     * may not run now: the activity has ended, another command holds a transition, or the command
     * is not legal in the current state.
     */
    synchronized void begin(ExeCommand command) throws CommandFailedException {
        ExeUnitState current = currentState();
        if (current == ExeUnitState.TERMINATED) {
            String died = diedOnItsOwn();
            throw new CommandFailedException(command.name() + " cannot run: the activity is Terminated"
                    + (died != null ? " (" + died + ")" : ""));
        }
        if (pending != null) {
            throw new CommandFailedException("Busy: the activity is running another command (" + current.apiName() + " -> "
                    + pending.apiName() + "); send the next batch when it has finished");
        }
        Optional<ExeUnitTransition> transition = command.transition();
        if (transition.isEmpty()) {
            return;
        }
        try {
            transition.get().check(command.name(), current);
        } catch (ExeUnitException.IllegalState e) {
            throw new CommandFailedException(e.getMessage());
        }
        pending = transition.get().to();
    }

    /** Releases the transition taken by {@link #begin}. */
    synchronized void end() {
        pending = null;
    }

    /** The exe-unit, for commands that need one (everything after deploy). */
    synchronized ExeUnit exeUnit() throws CommandFailedException {
        if (exeUnit == null) {
            throw new CommandFailedException("the activity has no VM yet: deploy first");
        }
        return exeUnit;
    }

    /**
     * Makes the activity's exe-unit for {@code image} in a fresh directory. Legal while a deploy
     * holds the transition.
     */
    ExeUnit newExeUnit(Path image) throws CommandFailedException {
        Path dir;
        synchronized (this) {
            dir = workDir.resolve("exeunit-" + (++exeUnits));
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CommandFailedException("cannot create the exe-unit's directory " + dir + ": " + e.getMessage());
        }
        ExeUnit unit = agreement.runtime().newExeUnit(image, agreement.resources(), dir);
        synchronized (this) {
            if (!destroyed) {
                exeUnit = unit;
                return unit;
            }
        }
        unit.stop();
        throw new CommandFailedException("the activity was destroyed during deploy");
    }

    /**
     * Fills the VM's disk ({@code full}) or gives it room again, when that is not how it is now.
     * Only a Ready VM has a disk to fill: before start (and once it is gone) this does nothing.
     */
    void diskFull(boolean full) throws CommandFailedException {
        synchronized (diskLock) {
            ExeUnit unit;
            synchronized (this) {
                unit = exeUnit;
            }
            if (unit == null || unit.state() != ExeUnitState.READY || (fullDisk == unit) == full) {
                return;
            }
            try {
                unit.diskFull(full);
            } catch (ExeUnitException e) {
                throw new CommandFailedException("the sandbox could not " + (full ? "fill" : "unfill")
                        + " the VM's disk (injected fault disk-full): " + e.getMessage());
            }
            fullDisk = full ? unit : null;
        }
    }

    /**
     * Makes the VM die the way a provider's VM crashes: its kernel panics (the VM then exits at
     * once); if the image gives no root shell for that, the VM is powered off. The activity becomes
     * Terminated with {@code why} as its reason.
     */
    void crashVm(String why) {
        ExeUnit unit;
        synchronized (this) {
            if (destroyed || exeUnit == null || exeUnit.state() == ExeUnitState.TERMINATED) {
                return;
            }
            crashReason = why;
            unit = exeUnit;
        }
        LOG.info("Activity {}: {}", id, why);
        try {
            unit.run(new RunSpec("/bin/sh", List.of("-c", "echo c > /proc/sysrq-trigger"), Map.of()), OutputListener.NONE);
        } catch (ExeUnitException | RuntimeException e) {
            LOG.debug("Activity {}: no panic from inside the VM ({}); powering it off", id, e.toString());
        }
        Instant deadline = Instant.now().plus(CRASH_WAIT);
        while (unit.state() != ExeUnitState.TERMINATED && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (unit.state() != ExeUnitState.TERMINATED) {
            unit.stop();
        }
    }

    /** Drops an exe-unit whose deploy failed, so deploy may be tried again. */
    void discardExeUnit(ExeUnit unit) {
        List<AutoCloseable> left;
        synchronized (this) {
            if (exeUnit == unit) {
                exeUnit = null;
            }
            left = takeLinks();
        }
        unit.stop();
        closeAll(left);
    }

    /**
     * Keeps a link of the VM (its VPN membership, its outbound gateway) until the activity ends;
     * refused (and closed) once destroyed.
     */
    void linked(AutoCloseable link) throws CommandFailedException {
        synchronized (this) {
            if (!destroyed) {
                links.add(link);
                return;
            }
        }
        closeAll(List.of(link));
        throw new CommandFailedException("the activity was destroyed during deploy");
    }

    private List<AutoCloseable> takeLinks() {
        List<AutoCloseable> taken = List.copyOf(links);
        links.clear();
        return taken;
    }

    private static void closeAll(List<AutoCloseable> links) {
        for (AutoCloseable link : links) {
            try {
                link.close();
            } catch (Exception e) {
                LOG.warn("cannot close a link of a VM: {}", e.toString());
            }
        }
    }

    /**
     * Stops the batches and the VM and deletes the activity's files; the state stays readable
     * as Terminated. Returns false if it was already destroyed.
     */
    boolean destroy(String why) {
        ExeUnit unit;
        List<AutoCloseable> left;
        synchronized (this) {
            if (destroyed) {
                return false;
            }
            destroyed = true;
            reason = why;
            ended = Instant.now();
            unit = exeUnit;
            left = takeLinks();
        }
        for (BatchExecution execution : running) {
            execution.abort("the activity was destroyed");
        }
        if (unit != null) {
            unit.stop();
            double cpu = unit.cpuSeconds().orElse(0);
            synchronized (this) {
                finalCpuSeconds = cpu;
            }
        }
        closeAll(left);
        if (!DirectoryTree.deleteQuietly(workDir)) {
            LOG.warn("Could not delete all files of activity {} under {}", id, workDir);
        }
        return true;
    }

    ActivityUsage usage() {
        ExeUnit unit;
        Instant end;
        double cpu;
        synchronized (this) {
            unit = exeUnit;
            end = ended;
            cpu = finalCpuSeconds;
        }
        Instant now = Instant.now();
        if (end == null && unit != null) {
            cpu = unit.cpuSeconds().orElse(0);
        }
        double duration = Duration.between(created, end == null ? now : end).toMillis() / 1000.0;
        return new ActivityUsage(id, agreement.agreementId(), duration, cpu, now, end != null);
    }

    private ExeUnitState currentState() {
        if (destroyed || exeUnit != null && exeUnit.state() == ExeUnitState.TERMINATED) {
            return ExeUnitState.TERMINATED;
        }
        return exeUnit == null ? ExeUnitState.INITIALIZED : exeUnit.state();
    }
}
