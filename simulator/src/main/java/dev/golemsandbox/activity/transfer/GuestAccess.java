package dev.golemsandbox.activity.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Opens what transfers write into volumes to every user of the VM: the sandbox writes them as its
 * own host user, while the image's processes run as the image's User (often not root), and must
 * read, change and delete what the requestor uploaded, as they can on a provider.
 */
public final class GuestAccess {

    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-rw-rw-");
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxrwxrwx");
    private static final Set<PosixFilePermission> DIRECTORY = EXECUTABLE;

    private GuestAccess() {
    }

    /** Makes {@code file} readable and writable by all (and executable if {@code executable}). */
    public static void open(Path file, boolean executable) throws IOException {
        Files.setPosixFilePermissions(file, executable ? EXECUTABLE : FILE);
    }

    /** Creates {@code dir} and its missing parents, each open to all. */
    public static Path createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return absolute;
        }
        createDirectories(absolute.getParent());
        Files.createDirectory(absolute);
        Files.setPosixFilePermissions(absolute, DIRECTORY);
        return absolute;
    }
}
