package dev.golemsandbox.home;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * The data directory: images, guest assets, app keys and recordings live here, everything else
 * of the sandbox is in memory. {@code $GOLEM_SANDBOX_HOME}, else
 * {@code $XDG_DATA_HOME/golem-sandbox}, else {@code ~/.local/share/golem-sandbox}.
 */
public record SandboxHome(Path root) {

    public static final String ENV = "GOLEM_SANDBOX_HOME";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    /** The data directory chosen by the environment of this process. */
    public static SandboxHome fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static SandboxHome fromEnvironment(Map<String, String> env) {
        String explicit = env.get(ENV);
        if (explicit != null && !explicit.isBlank()) {
            return new SandboxHome(Path.of(explicit).toAbsolutePath());
        }
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return new SandboxHome(base.resolve("golem-sandbox").toAbsolutePath());
    }

    /** The image store: blobs by SHA3-224 and the tag index. */
    public Path images() {
        return root.resolve("images");
    }

    /** Guest kernels, modules and initramfs images, one sub-directory per version. */
    public Path guest() {
        return root.resolve("guest");
    }

    /** Recorded requestor sessions. */
    public Path recordings() {
        return root.resolve("recordings");
    }

    /** Images downloaded by deploy, by hash, as a provider caches them. */
    public Path deployCache() {
        return root.resolve("cache").resolve("deploy");
    }

    /**
     * Creates the data directory if needed, readable by its owner only (it holds the app key,
     * recordings of command output and the activities' volumes), and tightens one that other
     * local users could read or write. Returns this home. Call it before writing anything here.
     */
    public SandboxHome secured() throws IOException {
        Path parent = root.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(root, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException exists) {
            if (!Files.isDirectory(root)) {
                throw new IOException("the data directory " + root + " exists and is not a directory");
            }
        }
        if (!Files.getPosixFilePermissions(root).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(root, OWNER_ONLY);
        }
        return this;
    }

    /** Creates {@code dir} (and parents) if needed and returns it. */
    public static Path ensure(Path dir) throws IOException {
        return Files.createDirectories(dir);
    }
}
