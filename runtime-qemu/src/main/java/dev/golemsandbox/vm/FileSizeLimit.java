package dev.golemsandbox.vm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;

/**
 * Sets the soft {@code RLIMIT_FSIZE} of a running process of ours ({@code prlimit}, no privilege
 * needed): at 0 every write the process makes to a file fails with {@code EFBIG}, which is how the
 * volumes' quota stops a guest (QEMU's 9p server passes the error to the guest's write). QEMU
 * ignores {@code SIGXFSZ} (see {@link QemuCommand}), so it lives on with the error.
 */
public final class FileSizeLimit {

    /** No limit. */
    public static final long UNLIMITED = -1L;
    private static final int RLIMIT_FSIZE = 1;

    private interface LibC extends Library {
        int prlimit(int pid, int resource, Pointer newLimit, Pointer oldLimit) throws LastErrorException;
    }

    /** libc through JNA, or null where JNA cannot load it (then {@link #set} fails with an IOException). */
    private static final LibC LIBC = load();

    private FileSizeLimit() {
    }

    private static LibC load() {
        try {
            return Native.load("c", LibC.class);
        } catch (LinkageError e) {
            return null;
        }
    }

    /** Sets {@code pid}'s soft limit to {@code bytes} ({@link #UNLIMITED} for none), keeping its hard limit. */
    public static void set(long pid, long bytes) throws IOException {
        if (LIBC == null) {
            throw new IOException("libc cannot be loaded through JNA, so the file size limit of process " + pid
                    + " cannot be set");
        }
        Memory old = new Memory(16);
        Memory limit = new Memory(16);
        try {
            LIBC.prlimit((int) pid, RLIMIT_FSIZE, null, old);
            long hard = old.getLong(8);
            limit.setLong(0, hard != UNLIMITED && (bytes == UNLIMITED || Long.compareUnsigned(bytes, hard) > 0) ? hard : bytes);
            limit.setLong(8, hard);
            LIBC.prlimit((int) pid, RLIMIT_FSIZE, limit, null);
        } catch (LastErrorException e) {
            throw new IOException("cannot set the file size limit of process " + pid + " (errno " + e.getErrorCode() + ")");
        }
    }
}
