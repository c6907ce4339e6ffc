package dev.golemsandbox.activity.transfer;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The permissions of what transfers write into volumes, open to every user of the VM: the
 * sandbox writes them as its own host user, while the image's processes run as the image's User
 * (often not root), and must read, change and delete what the requestor uploaded, as they can on
 * a provider. Other host users cannot reach them: the data directory above is the owner's only.
 */
final class GuestAccess {

    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-rw-rw-");
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxrwxrwx");
    /** Directories the sandbox makes in volumes. */
    static final Set<PosixFilePermission> DIRECTORY = EXECUTABLE;

    private GuestAccess() {
    }

    /** A file's permissions: readable and writable by all (and executable if {@code executable}). */
    static Set<PosixFilePermission> file(boolean executable) {
        return executable ? EXECUTABLE : FILE;
    }
}
