package dev.golemsandbox.sandbox;

import dev.golemsandbox.exeunit.ExeUnit;
import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.VmRuntime;
import java.nio.file.Path;

/**
 * A provider runtime for tests of the market and payment, which never boot a VM: it only records
 * whether the server closed it.
 */
public final class VmlessRuntime implements VmRuntime {

    private volatile boolean closed;

    @Override
    public ExeUnit newExeUnit(Path image, Resources resources, Path workDir) {
        throw new IllegalStateException("the market and payment tests boot no VM");
    }

    @Override
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }
}
