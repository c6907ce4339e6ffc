package dev.golemsandbox.exeunit;

import java.nio.file.Path;

/**
 * What a provider node runs activities with: it makes one {@link ExeUnit} per activity, each with
 * its own VM. Implementations are thread-safe.
 */
public interface VmRuntime extends AutoCloseable {

    /**
     * A new exe-unit in state {@link ExeUnitState#INITIALIZED}. Nothing boots yet.
     *
     * @param image    a GVMI file (validated at deploy)
     * @param resources the VM's size, from the agreement
     * @param workDir  an empty host directory the exe-unit owns: volume directories go under it
     */
    ExeUnit newExeUnit(Path image, Resources resources, Path workDir);

    /** Whether its exe-units can join a VPN ({@link ExeUnit#joinNetwork}): offers then list {@code vpn}. */
    default boolean supportsVpn() {
        return false;
    }

    /** Stops every exe-unit this runtime made that is still running. */
    @Override
    void close();
}
