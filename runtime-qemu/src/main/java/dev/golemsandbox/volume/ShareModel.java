package dev.golemsandbox.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How QEMU's 9p server keeps what the guest believes about its files. Both models store owners,
 * modes, symlinks, devices and FIFOs the guest makes as metadata of plain host files and
 * directories (created 0600/0700), so nothing the guest does becomes a host link, device, FIFO or
 * setuid file; the guest still sees them as it made them. {@link #MAPPED_XATTR} keeps the metadata
 * in {@code user.virtfs.*} extended attributes; {@link #MAPPED_FILE} in a {@code .virtfs_metadata}
 * directory beside the files, for host filesystems without user xattrs (tmpfs before Linux 6.6,
 * some overlays).
 */
public enum ShareModel {
    MAPPED_XATTR("mapped-xattr"),
    MAPPED_FILE("mapped-file");

    /** The directory QEMU keeps mapped-file metadata in; hidden from the guest and never a file of a transfer. */
    public static final String METADATA_DIR = ".virtfs_metadata";
    /** Where mapped-file keeps the metadata of the share's own root. */
    static final String ROOT_METADATA = ".virtfs_metadata_root";

    private final String qemuName;

    ShareModel(String qemuName) {
        this.qemuName = qemuName;
    }

    /** The value of QEMU's {@code -fsdev local,security_model=}. */
    public String qemuName() {
        return qemuName;
    }

    /**
     * The model {@code shareDir} (which must exist) supports: mapped-xattr if a user extended
     * attribute can be set on a file there, else mapped-file.
     */
    public static ShareModel probe(Path shareDir) throws IOException {
        Path probe = Files.createTempFile(shareDir, ".xattr-probe-", "");
        try {
            LinuxCalls.setxattr(probe.toString(), "user.golem-sandbox.probe", "1".getBytes(StandardCharsets.US_ASCII));
            return MAPPED_XATTR;
        } catch (LinuxCalls.Errno e) {
            if (e.errno == LinuxCalls.ENOTSUP || e.errno == LinuxCalls.EPERM) {
                return MAPPED_FILE;
            }
            throw e;
        } finally {
            Files.deleteIfExists(probe);
        }
    }
}
