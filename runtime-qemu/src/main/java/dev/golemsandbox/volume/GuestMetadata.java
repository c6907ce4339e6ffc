package dev.golemsandbox.volume;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * Reads what QEMU's mapped 9p models recorded of a file the guest made: its mode (type and
 * permission bits) as the guest sees it. A file without such a record is seen by the guest as
 * the host has it. Both places are read, so this does not depend on the model of the VM that
 * wrote the volume.
 */
final class GuestMetadata {

    private static final String MODE_XATTR = "user.virtfs.mode";
    private static final int MAX_METADATA_BYTES = 4096;

    private GuestMetadata() {
    }

    /** The guest's mode of the file {@code fd} (whose name in directory {@code dirFd} is {@code name}). */
    static OptionalInt mode(int dirFd, String name, int fd) throws LinuxCalls.Errno {
        try {
            byte[] value = LinuxCalls.getxattr("/proc/self/fd/" + fd, MODE_XATTR);
            if (value != null && value.length >= 4) {
                return OptionalInt.of(ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getInt());
            }
        } catch (LinuxCalls.Errno e) {
            if (e.errno != LinuxCalls.ENOTSUP) {
                throw e;
            }
        }
        return fromMetadataFile(dirFd, name);
    }

    /** mapped-file: {@code .virtfs_metadata/<name>} holds lines such as {@code virtfs.mode=33188}. */
    private static OptionalInt fromMetadataFile(int dirFd, String name) throws LinuxCalls.Errno {
        int metaDir;
        try {
            metaDir = LinuxCalls.openat(dirFd, ShareModel.METADATA_DIR,
                    LinuxCalls.O_PATH | LinuxCalls.O_DIRECTORY | LinuxCalls.O_NOFOLLOW, 0);
        } catch (LinuxCalls.Errno e) {
            if (e.errno == LinuxCalls.ENOENT || e.errno == LinuxCalls.ENOTDIR || e.errno == LinuxCalls.ELOOP) {
                return OptionalInt.empty();
            }
            throw e;
        }
        try {
            byte[] text = VolumeEntry.readRegular(metaDir, name, MAX_METADATA_BYTES);
            if (text == null) {
                return OptionalInt.empty();
            }
            for (String line : new String(text, StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("virtfs.mode=")) {
                    try {
                        return OptionalInt.of(Integer.parseInt(line.substring("virtfs.mode=".length()).trim()));
                    } catch (NumberFormatException e) {
                        return OptionalInt.empty();
                    }
                }
            }
            return OptionalInt.empty();
        } finally {
            LinuxCalls.close(metaDir);
        }
    }
}
