package dev.golemsandbox.exeunit;

import dev.golemsandbox.volume.VolumePath;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One activity's VM, driven the way a provider's exe-unit drives its VM runtime. Its lifecycle:
 * {@code INITIALIZED --deploy--> DEPLOYED --start--> READY --stop--> TERMINATED}; any state may be
 * stopped, and a VM that dies on its own (or is killed for breaking the agent protocol) moves the
 * exe-unit to TERMINATED, fails what was pending at once and leaves its {@link #terminationReason}. Every call names the states in which it is legal and throws
 * {@link ExeUnitException.IllegalState} otherwise.
 *
 * <pre>{@code
 * try (ExeUnit unit = runtime.newExeUnit(gvmi, Resources.DEFAULT, workDir)) {
 *     unit.deploy();
 *     unit.start();
 *     ProcessResult r = unit.run(RunSpec.shell("echo hi"), OutputListener.NONE).result().join();
 * }
 * }</pre>
 */
public interface ExeUnit extends AutoCloseable {

    ExeUnitState state();

    /**
     * Legal in INITIALIZED. Validates the image (a bad GVMI fails here, before any boot) and
     * creates one empty host directory per volume of the image. Moves to DEPLOYED.
     */
    Deployment deploy() throws ExeUnitException;

    /**
     * Legal in DEPLOYED, before {@link #start()}: the VM will boot with a VPN interface
     * configured as {@code vpn} says (one VPN per VM).
     *
     * @throws ExeUnitException.Unsupported if this runtime has no VPN support
     */
    default void joinNetwork(VpnInterface vpn) throws ExeUnitException {
        throw new ExeUnitException.Unsupported("this runtime cannot put a VM in a VPN");
    }

    /**
     * Legal in DEPLOYED, before {@link #start()}: the VM will boot with an outbound interface
     * (eth1) configured as {@code inet} says. A VM never given one has no eth1.
     *
     * @throws ExeUnitException.Unsupported if this runtime has no outbound interface
     */
    default void connectOutbound(InetInterface inet) throws ExeUnitException {
        throw new ExeUnitException.Unsupported("this runtime cannot give a VM outbound access");
    }

    /** Legal in DEPLOYED. Boots the VM, mounts the volumes and configures its network interfaces. Moves to READY. */
    void start() throws ExeUnitException;

    /**
     * Legal in READY. Starts a process in the VM, chrooted in the image root, with the image's Env
     * (plus {@code spec.env()}), WorkingDir and User. Several may run at once. Output is delivered
     * to {@code listener} as it arrives; only with {@link OutputListener#NONE} is it kept instead
     * (up to the capture cap) in the result, so it is never held twice.
     */
    RunningProcess run(RunSpec spec, OutputListener listener) throws ExeUnitException;

    /**
     * Legal in DEPLOYED and READY. Where a path in the VM lies in its volumes: the path must fall
     * under a volume (the longest volume prefix wins) and may not leave it through {@code ..}.
     * Open it only with {@link dev.golemsandbox.volume.VolumeFiles}, which follows no link.
     *
     * @throws ExeUnitException.PathNotFound "path not found in container: ..." otherwise
     */
    VolumePath volumePathOf(String containerPath) throws ExeUnitException;

    /** Legal in DEPLOYED and READY. The host path behind a path in the VM, for inspection; never opened by the sandbox by name. */
    default Path hostPathOf(String containerPath) throws ExeUnitException {
        return volumePathOf(containerPath).hostPath();
    }

    /**
     * Legal in DEPLOYED and READY. How many more bytes the host may write into this unit's volumes:
     * the agreed storage ({@code golem.inf.storage.gib}, {@link Resources#storageMib()}) less what
     * the volumes take now (0 when they are full or over). Unbounded for a runtime without a quota.
     */
    default long volumeBytesLeft() throws ExeUnitException {
        return Long.MAX_VALUE;
    }

    /**
     * Legal in READY. Makes the VM's disk full ({@code full}) or gives it room again: writes in the
     * VM outside volumes fail with ENOSPC once they need new space, and any change of the guest to
     * a volume fails with ENOSPC, leaving the volume's host directory as it was.
     *
     * @throws ExeUnitException.Unsupported if this runtime cannot fill a VM's disk
     */
    default void diskFull(boolean full) throws ExeUnitException {
        throw new ExeUnitException.Unsupported("this runtime cannot fill a VM's disk");
    }

    /**
     * Legal in any state. CPU time the VM has used so far, in seconds: user + system time of the
     * VM's process with all its threads (e.g. {@code utime + stime} of {@code /proc/<qemu pid>/stat}
     * divided by the clock tick), as a provider's {@code golem.usage.cpu_sec} counter measures it.
     * 0 before the VM boots, final once TERMINATED. Empty when the runtime cannot measure it.
     */
    default OptionalDouble cpuSeconds() {
        return OptionalDouble.empty();
    }

    /**
     * Legal in any state. Why the exe-unit ended: empty until TERMINATED, then the reason, e.g.
     * that its VM was killed because the guest broke the agent protocol (naming how), that the VM
     * stopped or crashed (with its console log), or that it was stopped.
     */
    default Optional<String> terminationReason() {
        return Optional.empty();
    }

    /** Legal in any state; idempotent. Syncs, unmounts and powers off the VM. Moves to TERMINATED. */
    void stop();

    @Override
    default void close() {
        stop();
    }
}
