package dev.golemsandbox.vm;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;

/** Asks {@code /dev/kvm} for its API version through libc (JNA): the first half of the KVM probe. */
final class KvmDevice {

    static final String PATH = "/dev/kvm";
    /** The only KVM API version there has ever been. */
    static final int EXPECTED_API_VERSION = 12;
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 02000000;
    /** _IO(KVMIO, 0x00) */
    private static final long KVM_GET_API_VERSION = 0xAE00L;

    private interface LibC extends Library {
        int open(String path, int flags);

        int ioctl(int fd, long request, Object... args);

        int close(int fd);
    }

    private KvmDevice() {
    }

    /** The KVM API version, or an exception saying why /dev/kvm cannot be used. */
    static int apiVersion() throws IOException {
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("libc cannot be loaded through JNA: " + e.getMessage());
        }
        int fd = libc.open(PATH, O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            throw new IOException(PATH + " cannot be opened (errno " + Native.getLastError() + ")");
        }
        try {
            int version = libc.ioctl(fd, KVM_GET_API_VERSION);
            if (version < 0) {
                throw new IOException("KVM_GET_API_VERSION failed on " + PATH + " (errno " + Native.getLastError() + ")");
            }
            return version;
        } finally {
            libc.close(fd);
        }
    }
}
