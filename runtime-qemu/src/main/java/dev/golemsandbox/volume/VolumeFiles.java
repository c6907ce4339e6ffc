package dev.golemsandbox.volume;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * The one way the host opens, creates, renames or deletes anything under a volume. A path is
 * resolved below the volume's directory descriptor with {@code openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)} (or, where the kernel lacks it, one component at a
 * time with {@code O_NOFOLLOW}), so no link is followed and nothing outside the volume is reached,
 * whatever the guest renames or replaces meanwhile. What it finds is an open {@link VolumeEntry}.
 *
 * <pre>{@code
 * try (VolumeFiles volume = VolumeFiles.open(hostDir); VolumeEntry file = volume.resolve("out/result.txt")) {
 *     try (FileChannel in = file.openRead()) { ... }
 * }
 * }</pre>
 */
public final class VolumeFiles implements AutoCloseable {

    private final Path dir;
    private final int fd;

    private VolumeFiles(Path dir, int fd) {
        this.dir = dir;
        this.fd = fd;
    }

    /** Opens the volume whose host directory is {@code dir} (the sandbox's own directory, not a link). */
    public static VolumeFiles open(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            return new VolumeFiles(absolute, LinuxCalls.openat(LinuxCalls.AT_FDCWD, absolute.toString(),
                    LinuxCalls.O_PATH | LinuxCalls.O_DIRECTORY | LinuxCalls.O_NOFOLLOW, 0));
        } catch (LinuxCalls.Errno e) {
            throw new IOException("cannot open the volume directory " + absolute + ": " + e.getMessage(), e);
        }
    }

    /** The volume's host directory (for messages). */
    public Path dir() {
        return dir;
    }

    /** The volume's root directory. */
    public VolumeEntry root() throws IOException {
        return new VolumeEntry("", -1, "", LinuxCalls.openat(fd, ".", LinuxCalls.O_PATH | LinuxCalls.O_DIRECTORY, 0));
    }

    /**
     * Opens what {@code relative} ("a/b/c", "" for the root; no "..") names, the last component
     * included, following no link.
     *
     * @throws NoSuchFileException if it is not there
     * @throws IOException         if a link or a file stands where a directory should be
     */
    public VolumeEntry resolve(String relative) throws IOException {
        List<String> names = components(relative);
        if (names.isEmpty()) {
            return root();
        }
        String parentPath = String.join("/", names.subList(0, names.size() - 1));
        String name = names.get(names.size() - 1);
        int parent = openDirectory(names.subList(0, names.size() - 1), parentPath);
        int child;
        try {
            child = LinuxCalls.openat(parent, name, LinuxCalls.O_PATH | LinuxCalls.O_NOFOLLOW, 0);
        } catch (LinuxCalls.Errno e) {
            LinuxCalls.close(parent);
            throw refusal(relative, e);
        }
        return new VolumeEntry(String.join("/", names), parent, name, child);
    }

    /** The directory {@code relative}, made with its missing parents (each with {@code permissions}). */
    public VolumeEntry directories(String relative, Set<PosixFilePermission> permissions) throws IOException {
        VolumeEntry current = root();
        try {
            for (String name : components(relative)) {
                VolumeEntry next = current.directory(name, permissions);
                current.close();
                current = next;
            }
            return current;
        } catch (IOException | RuntimeException e) {
            current.close();
            throw e;
        }
    }

    private int openDirectory(List<String> names, String path) throws IOException {
        int flags = LinuxCalls.O_PATH | LinuxCalls.O_DIRECTORY | LinuxCalls.O_NOFOLLOW;
        try {
            int beneath = LinuxCalls.openBeneath(fd, path.isEmpty() ? "." : path, flags | LinuxCalls.O_CLOEXEC, 0);
            if (beneath >= 0) {
                return beneath;
            }
            int current = LinuxCalls.openat(fd, ".", flags, 0);
            for (String name : names) {
                try {
                    int next = LinuxCalls.openat(current, name, flags, 0);
                    LinuxCalls.close(current);
                    current = next;
                } catch (LinuxCalls.Errno e) {
                    LinuxCalls.close(current);
                    throw e;
                }
            }
            return current;
        } catch (LinuxCalls.Errno e) {
            throw refusal(path, e);
        }
    }

    /** The components of a volume-relative path; refuses "..", absolute paths and 9p's metadata. */
    static List<String> components(String relative) throws IOException {
        String trimmed = relative.replaceAll("/+", "/").replaceAll("^/|/$", "");
        if (trimmed.isEmpty() || trimmed.equals(".")) {
            return List.of();
        }
        List<String> names = List.of(trimmed.split("/")).stream().filter(n -> !n.equals(".")).toList();
        for (String name : names) {
            requireName(name);
        }
        return names;
    }

    /** A single name in a directory: not empty, no '/', not "." or "..", not 9p's metadata. */
    static void requireName(String name) throws IOException {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..") || name.indexOf('\0') >= 0
                || name.equals(ShareModel.METADATA_DIR) || name.equals(ShareModel.ROOT_METADATA)) {
            throw new IOException("\"" + name + "\" cannot be a name in a volume");
        }
    }

    /** The error a requestor sees when a path cannot be resolved as asked. */
    static IOException refusal(String path, LinuxCalls.Errno e) {
        return switch (e.errno) {
            case LinuxCalls.ENOENT -> new NoSuchFileException(path);
            case LinuxCalls.ELOOP, LinuxCalls.EXDEV -> new IOException(path + ": a link is in the way (links are never followed)", e);
            case LinuxCalls.ENOTDIR -> new IOException(path + ": a link or a file is in the way of a directory (links are never followed)", e);
            case LinuxCalls.EISDIR -> new IOException(path + " is a directory", e);
            default -> new IOException(path + ": " + e.getMessage(), e);
        };
    }

    @Override
    public void close() {
        LinuxCalls.close(fd);
    }
}
