package dev.golemsandbox.volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One thing under a volume, held open by descriptor ({@code O_PATH}, never through a link), seen
 * as the guest sees it: a file, a directory, a symlink (the guest's, kept by 9p as a plain file)
 * or something else (a FIFO, a device, a socket: never opened). Content is read or written only
 * through the descriptor, so what was checked is what is read, whatever the guest renames
 * meanwhile. Not thread-safe; close it when done.
 */
public final class VolumeEntry implements AutoCloseable {

    /** What an entry is to the guest. */
    public enum Kind { FILE, DIRECTORY, SYMLINK, OTHER }

    /** Link targets longer than this are not links a guest can make (PATH_MAX). */
    static final int MAX_LINK_BYTES = 4096;
    private static final int MODE_BITS = 07777;

    private final String path;
    private final int parentFd;
    private final String name;
    private final int fd;
    private final LinuxCalls.Stat stat;
    private final Kind kind;
    private final int permissions;

    /** Takes ownership of both descriptors ({@code parentFd} may be -1 for a volume's root). */
    VolumeEntry(String path, int parentFd, String name, int fd) throws IOException {
        this.path = path;
        this.parentFd = parentFd;
        this.name = name;
        this.fd = fd;
        try {
            stat = LinuxCalls.fstat(fd);
            boolean mappable = stat.type() == LinuxCalls.S_IFREG || stat.type() == LinuxCalls.S_IFDIR;
            OptionalInt guestMode = mappable && parentFd >= 0 ? GuestMetadata.mode(parentFd, name, fd) : OptionalInt.empty();
            int mode = guestMode.orElse(stat.mode());
            permissions = mode & MODE_BITS;
            kind = switch (stat.type()) {
                case LinuxCalls.S_IFDIR -> Kind.DIRECTORY;
                case LinuxCalls.S_IFLNK -> Kind.SYMLINK;
                case LinuxCalls.S_IFREG -> switch (mode & LinuxCalls.S_IFMT) {
                    case LinuxCalls.S_IFREG -> Kind.FILE;
                    case LinuxCalls.S_IFLNK -> Kind.SYMLINK;
                    default -> Kind.OTHER;
                };
                default -> Kind.OTHER;
            };
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The path relative to the volume, as given ("" for the root). */
    public String path() {
        return path;
    }

    public Kind kind() {
        return kind;
    }

    /** Permission bits (with setuid, setgid, sticky) as the guest sees them. */
    public int permissions() {
        return permissions;
    }

    /** Bytes of a file. */
    public long size() {
        return stat.size();
    }

    /** Whether the guest sees the file executable by its owner. */
    public boolean executable() {
        return (permissions & 0100) != 0;
    }

    /**
     * Opens a file for reading. Never blocks: anything but a regular file is refused before it is opened.
     *
     * @throws IOException "not a regular file" for anything else
     */
    public FileChannel openRead() throws IOException {
        requireKind(Kind.FILE, "a regular file");
        return FileChannel.open(procPath(fd), StandardOpenOption.READ);
    }

    /** The target a symlink names (never followed). */
    public String linkTarget() throws IOException {
        requireKind(Kind.SYMLINK, "a symlink");
        byte[] target = stat.type() == LinuxCalls.S_IFLNK
                ? LinuxCalls.readlink(fd, MAX_LINK_BYTES)
                : readRegular(fd, MAX_LINK_BYTES);
        return new String(target, StandardCharsets.UTF_8);
    }

    /** The names in a directory, sorted, without 9p's metadata. */
    public List<String> names() throws IOException {
        requireKind(Kind.DIRECTORY, "a directory");
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(procPath(fd))) {
            for (Path entry : entries) {
                String child = entry.getFileName().toString();
                if (!child.equals(ShareModel.METADATA_DIR) && !child.equals(ShareModel.ROOT_METADATA)) {
                    names.add(child);
                }
            }
        }
        names.sort(null);
        return names;
    }

    /** Opens {@code child} of this directory, a link not followed. */
    public VolumeEntry child(String child) throws IOException {
        requireKind(Kind.DIRECTORY, "a directory");
        VolumeFiles.requireName(child);
        int dir = reopenDirectory();
        try {
            return new VolumeEntry(childPath(child), dir,
                    child, LinuxCalls.openat(dir, child, LinuxCalls.O_PATH | LinuxCalls.O_NOFOLLOW, 0));
        } catch (LinuxCalls.Errno e) {
            LinuxCalls.close(dir);
            throw VolumeFiles.refusal(childPath(child), e);
        }
    }

    /** The sub-directory {@code child}, made (with {@code permissions}) if missing; a link or file in the way is refused. */
    public VolumeEntry directory(String child, Set<PosixFilePermission> permissions) throws IOException {
        requireKind(Kind.DIRECTORY, "a directory");
        VolumeFiles.requireName(child);
        boolean made = false;
        try {
            LinuxCalls.mkdirat(fd, child, 0700);
            made = true;
        } catch (LinuxCalls.Errno e) {
            if (e.errno != LinuxCalls.EEXIST) {
                throw VolumeFiles.refusal(childPath(child), e);
            }
        }
        VolumeEntry dir = child(child);
        if (dir.kind() != Kind.DIRECTORY) {
            Kind found = dir.kind();
            dir.close();
            throw new IOException(childPath(child) + ": a " + found.name().toLowerCase()
                    + " is in the way of a directory (links are never followed)");
        }
        if (made) {
            dir.setPermissions(permissions);
        }
        return dir;
    }

    /** A new, empty file in this directory under a temp name, for {@link #rename} to put in place. */
    public NewFile createTemp(String prefix) throws IOException {
        requireKind(Kind.DIRECTORY, "a directory");
        String temp = "." + prefix + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part";
        int file;
        try {
            file = LinuxCalls.openat(fd, temp, LinuxCalls.O_WRONLY | LinuxCalls.O_CREAT | LinuxCalls.O_EXCL
                    | LinuxCalls.O_NOFOLLOW | LinuxCalls.O_NOCTTY, 0600);
        } catch (LinuxCalls.Errno e) {
            throw VolumeFiles.refusal(childPath(temp), e);
        }
        try {
            return new NewFile(this, temp, file, FileChannel.open(procPath(file), StandardOpenOption.WRITE));
        } catch (IOException | RuntimeException e) {
            LinuxCalls.close(file);
            delete(temp);
            throw e;
        }
    }

    /**
     * Renames {@code from} to {@code to} in this directory, replacing a file (or a guest's symlink:
     * the link is replaced, never written through). 9p's mapped-file record of the old {@code to} goes.
     */
    public void rename(String from, String to) throws IOException {
        requireKind(Kind.DIRECTORY, "a directory");
        VolumeFiles.requireName(from);
        VolumeFiles.requireName(to);
        try {
            LinuxCalls.renameat(fd, from, to);
        } catch (LinuxCalls.Errno e) {
            throw VolumeFiles.refusal(childPath(to), e);
        }
        forgetMetadata(to);
    }

    /** Deletes the file (not a directory) {@code child} if it is there. */
    public void delete(String child) throws IOException {
        requireKind(Kind.DIRECTORY, "a directory");
        VolumeFiles.requireName(child);
        try {
            LinuxCalls.unlinkat(fd, child, 0);
        } catch (LinuxCalls.Errno e) {
            if (e.errno != LinuxCalls.ENOENT) {
                throw VolumeFiles.refusal(childPath(child), e);
            }
        }
        forgetMetadata(child);
    }

    /** Sets the host permission bits of this file or directory (the guest sees them while 9p has no record of its own). */
    public void setPermissions(Set<PosixFilePermission> permissions) throws IOException {
        if (kind != Kind.FILE && kind != Kind.DIRECTORY) {
            throw new IOException(path + " is not a regular file or directory");
        }
        Files.setPosixFilePermissions(procPath(fd), permissions);
    }

    private void forgetMetadata(String child) {
        try {
            int metaDir = LinuxCalls.openat(fd, ShareModel.METADATA_DIR,
                    LinuxCalls.O_PATH | LinuxCalls.O_DIRECTORY | LinuxCalls.O_NOFOLLOW, 0);
            try {
                LinuxCalls.unlinkat(metaDir, child, 0);
            } finally {
                LinuxCalls.close(metaDir);
            }
        } catch (LinuxCalls.Errno ignored) {
            // No mapped-file record: the usual case.
        }
    }

    private int reopenDirectory() throws IOException {
        return LinuxCalls.openat(fd, ".", LinuxCalls.O_PATH | LinuxCalls.O_DIRECTORY, 0);
    }

    private String childPath(String child) {
        return path.isEmpty() ? child : path + "/" + child;
    }

    private void requireKind(Kind wanted, String what) throws IOException {
        if (kind != wanted) {
            throw new IOException((path.isEmpty() ? "the volume" : path) + " is not " + what
                    + (kind == Kind.OTHER ? " (a FIFO, device or socket)" : " (it is a " + kind.name().toLowerCase() + ")"));
        }
    }

    @Override
    public void close() {
        LinuxCalls.close(fd);
        if (parentFd >= 0) {
            LinuxCalls.close(parentFd);
        }
    }

    static Path procPath(int fd) {
        return Path.of("/proc/self/fd/" + fd);
    }

    /** Up to {@code max} bytes of the regular file {@code fd} refers to. */
    private static byte[] readRegular(int fd, int max) throws IOException {
        try (FileChannel in = FileChannel.open(procPath(fd), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(max);
            while (buffer.hasRemaining() && in.read(buffer) > 0) {
                // Reads until full or at the end.
            }
            byte[] bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
            return bytes;
        }
    }

    /** Up to {@code max} bytes of {@code name} in {@code dirFd} if it is a regular file, else null. */
    static byte[] readRegular(int dirFd, String name, int max) throws LinuxCalls.Errno {
        int file;
        try {
            file = LinuxCalls.openat(dirFd, name, LinuxCalls.O_PATH | LinuxCalls.O_NOFOLLOW, 0);
        } catch (LinuxCalls.Errno e) {
            return null;
        }
        try {
            if (LinuxCalls.fstat(file).type() != LinuxCalls.S_IFREG) {
                return null;
            }
            return readRegular(file, max);
        } catch (LinuxCalls.Errno e) {
            throw e;
        } catch (IOException e) {
            return null;
        } finally {
            LinuxCalls.close(file);
        }
    }

    /**
     * A file being written under a temp name in a volume's directory.
     *
     * <pre>{@code
     * try (NewFile file = dir.createTemp("upload")) { write to file.channel(); file.commit("data.bin", perms); }
     * }</pre>
     */
    public static final class NewFile implements AutoCloseable {
        private final VolumeEntry dir;
        private final String tempName;
        private final int fd;
        private final FileChannel channel;
        private boolean committed;
        private boolean closed;

        NewFile(VolumeEntry dir, String tempName, int fd, FileChannel channel) {
            this.dir = dir;
            this.tempName = tempName;
            this.fd = fd;
            this.channel = channel;
        }

        public FileChannel channel() {
            return channel;
        }

        /**
         * Sets the permissions and renames the file to {@code name}, replacing what was there. No
         * fsync: the rename alone makes it appear whole, and a volume does not outlive its VM.
         */
        public void commit(String name, Set<PosixFilePermission> permissions) throws IOException {
            Files.setPosixFilePermissions(procPath(fd), permissions);
            dir.rename(tempName, name);
            committed = true;
            close();
        }

        /** Closes the file, deleting it unless committed. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            channel.close();
            LinuxCalls.close(fd);
            if (!committed) {
                dir.delete(tempName);
            }
        }
    }
}
