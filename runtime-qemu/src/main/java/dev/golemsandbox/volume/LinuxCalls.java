package dev.golemsandbox.volume;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;

/**
 * The few Linux calls that Java does not offer on descriptors: {@code openat2}, {@code openat},
 * the {@code *at} directory operations, {@code statx} and {@code getxattr}, through libc (JNA).
 * Each failure is an {@link Errno} carrying the error number.
 */
final class LinuxCalls {

    static final int AT_FDCWD = -100;
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_NOCTTY = 0400;
    static final int O_NONBLOCK = 04000;
    static final int O_DIRECTORY = 0200000;
    static final int O_NOFOLLOW = 0400000;
    static final int O_CLOEXEC = 02000000;
    static final int O_PATH = 010000000;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_REMOVEDIR = 0x200;
    static final int AT_EMPTY_PATH = 0x1000;

    static final long RESOLVE_NO_MAGICLINKS = 0x02;
    static final long RESOLVE_NO_SYMLINKS = 0x04;
    static final long RESOLVE_BENEATH = 0x08;

    static final int ENOENT = 2;
    static final int EEXIST = 17;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int ENOSYS = 38;
    static final int ELOOP = 40;
    static final int ENODATA = 61;
    static final int EXDEV = 18;
    static final int EPERM = 1;
    static final int E2BIG = 7;
    static final int ENOTSUP = 95;

    static final int S_IFMT = 0170000;
    static final int S_IFREG = 0100000;
    static final int S_IFDIR = 0040000;
    static final int S_IFLNK = 0120000;

    /** {@code openat2}'s number on x86_64 and aarch64 (new system calls share one numbering). */
    private static final long SYS_OPENAT2 = 437;
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int STATX_BYTES = 256;

    private interface LibC extends Library {
        long syscall(long number, Object... args) throws LastErrorException;

        int openat(int dirfd, String path, int flags, int mode) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        int mkdirat(int dirfd, String path, int mode) throws LastErrorException;

        int unlinkat(int dirfd, String path, int flags) throws LastErrorException;

        int renameat(int olddirfd, String oldpath, int newdirfd, String newpath) throws LastErrorException;

        long readlinkat(int dirfd, String path, byte[] buffer, long size) throws LastErrorException;

        int statx(int dirfd, String path, int flags, int mask, Pointer buffer) throws LastErrorException;

        long getxattr(String path, String name, byte[] value, long size) throws LastErrorException;

        int setxattr(String path, String name, byte[] value, long size, int flags) throws LastErrorException;

        int removexattr(String path, String name) throws LastErrorException;
    }

    /** libc through JNA, or null where JNA cannot load it (every call then fails with an IOException, never an Error). */
    private static final LibC LIBC = load();

    /** Whether {@code openat2} exists here (Linux 5.6+, and not filtered away by a container's seccomp profile). */
    private static volatile Boolean openat2Works;

    private LinuxCalls() {
    }

    private static LibC load() {
        try {
            return Native.load("c", LibC.class);
        } catch (LinkageError e) {
            return null;
        }
    }

    private static LibC libc(String call) throws Errno {
        if (LIBC == null) {
            throw new Errno(call, "libc through JNA", ENOSYS);
        }
        return LIBC;
    }

    /** A failed call: the operation, the path and the error number. */
    static final class Errno extends IOException {
        final int errno;

        Errno(String call, String path, int errno) {
            super(call + "(" + path + ") failed: " + describe(errno));
            this.errno = errno;
        }

        private static String describe(int errno) {
            return switch (errno) {
                case ENOENT -> "no such file or directory";
                case ELOOP -> "a link is in the way";
                case EXDEV -> "the path leaves the volume";
                case ENOTDIR -> "not a directory";
                case EISDIR -> "is a directory";
                case EEXIST -> "already exists";
                default -> "errno " + errno;
            };
        }
    }

    private static Errno errno(String call, String path, LastErrorException e) {
        return new Errno(call, path, e.getErrorCode());
    }

    /** Makes {@link #openBeneath} report openat2 as missing (or lets it try again), to exercise the walk without it. */
    static void pretendOpenat2Missing(boolean missing) {
        openat2Works = missing ? Boolean.FALSE : null;
    }

    /**
     * {@code openat2(dirfd, path, flags, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)},
     * or -1 without trying when the kernel lacks it (the caller then walks component by component).
     */
    static int openBeneath(int dirfd, String path, int flags, int mode) throws Errno {
        if (Boolean.FALSE.equals(openat2Works)) {
            return -1;
        }
        Memory how = new Memory(24);
        how.setLong(0, flags & 0xffffffffL);
        how.setLong(8, mode);
        how.setLong(16, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        try {
            int fd = (int) libc("syscall").syscall(SYS_OPENAT2, (long) dirfd, path, how, 24L);
            openat2Works = true;
            return fd;
        } catch (LastErrorException e) {
            if (openat2Works == null && (e.getErrorCode() == ENOSYS || e.getErrorCode() == EPERM)) {
                openat2Works = false;
                return -1;
            }
            throw errno("openat2", path, e);
        }
    }

    static int openat(int dirfd, String name, int flags, int mode) throws Errno {
        try {
            return libc("openat").openat(dirfd, name, flags | O_CLOEXEC, mode);
        } catch (LastErrorException e) {
            throw errno("openat", name, e);
        }
    }

    static void close(int fd) {
        try {
            libc("close").close(fd);
        } catch (LastErrorException | Errno ignored) {
            // Nothing to do about a failed close of a descriptor only read through.
        }
    }

    static void mkdirat(int dirfd, String name, int mode) throws Errno {
        try {
            libc("mkdirat").mkdirat(dirfd, name, mode);
        } catch (LastErrorException e) {
            throw errno("mkdirat", name, e);
        }
    }

    static void unlinkat(int dirfd, String name, int flags) throws Errno {
        try {
            libc("unlinkat").unlinkat(dirfd, name, flags);
        } catch (LastErrorException e) {
            throw errno("unlinkat", name, e);
        }
    }

    static void renameat(int dirfd, String from, String to) throws Errno {
        try {
            libc("renameat").renameat(dirfd, from, dirfd, to);
        } catch (LastErrorException e) {
            throw errno("renameat", to, e);
        }
    }

    /** The target of the symlink {@code fd} itself refers to (opened with O_PATH | O_NOFOLLOW). */
    static byte[] readlink(int fd, int max) throws Errno {
        byte[] buffer = new byte[max];
        try {
            long n = libc("readlinkat").readlinkat(fd, "", buffer, max);
            return java.util.Arrays.copyOf(buffer, (int) n);
        } catch (LastErrorException e) {
            throw errno("readlinkat", "", e);
        }
    }

    /** Type and permission bits, size and allocated bytes of what {@code fd} refers to (never through a link). */
    static Stat fstat(int fd) throws Errno {
        return statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
    }

    /** The same of {@code path} itself, a link not followed. */
    static Stat lstat(String path) throws Errno {
        return statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW);
    }

    private static Stat statx(int dirfd, String path, int flags) throws Errno {
        Memory buffer = new Memory(STATX_BYTES);
        try {
            libc("statx").statx(dirfd, path, flags, STATX_BASIC_STATS, buffer);
        } catch (LastErrorException e) {
            throw errno("statx", path, e);
        }
        return new Stat(buffer.getShort(28) & 0xffff, buffer.getInt(20), buffer.getInt(24), buffer.getLong(40),
                buffer.getLong(48) * 512);
    }

    /** The value of extended attribute {@code name} of {@code path} (followed), or null if it has none. */
    static byte[] getxattr(String path, String name) throws Errno {
        byte[] value = new byte[256];
        try {
            long n = libc("getxattr").getxattr(path, name, value, value.length);
            return java.util.Arrays.copyOf(value, (int) n);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENODATA) {
                return null;
            }
            throw errno("getxattr", path, e);
        }
    }

    static void setxattr(String path, String name, byte[] value) throws Errno {
        try {
            libc("setxattr").setxattr(path, name, value, value.length, 0);
        } catch (LastErrorException e) {
            throw errno("setxattr", path, e);
        }
    }

    /**
     * What {@code statx} says of a file.
     *
     * @param allocated bytes of disk it takes (blocks * 512), what a sparse file really costs
     */
    record Stat(int mode, int uid, int gid, long size, long allocated) {
        int type() {
            return mode & S_IFMT;
        }
    }
}
