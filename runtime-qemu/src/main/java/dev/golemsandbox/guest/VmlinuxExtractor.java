package dev.golemsandbox.guest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Turns a distribution kernel (bzImage) into the uncompressed ELF vmlinux that QEMU boots by PVH:
 * finds the xz payload inside the bzImage and decompresses it with {@code xz}. PVH skips the
 * bzImage's own decompressor, which under TCG halves the boot time.
 */
public final class VmlinuxExtractor {

    private static final byte[] XZ_MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
    private static final byte[] ELF_MAGIC = {0x7f, 'E', 'L', 'F'};

    private VmlinuxExtractor() {
    }

    /** Writes the vmlinux inside {@code bzImage} to {@code vmlinux}. */
    public static void extract(Path bzImage, Path vmlinux) throws IOException {
        byte[] image = Files.readAllBytes(bzImage);
        if (startsWith(image, 0, ELF_MAGIC)) {
            Files.write(vmlinux, image);
            return;
        }
        int offset = indexOf(image, XZ_MAGIC);
        if (offset < 0) {
            throw new IOException(bzImage + " has no xz-compressed payload: only xz-compressed kernels"
                    + " (as Debian's) can be unpacked for PVH boot; set GOLEM_SANDBOX_KERNEL to an uncompressed vmlinux");
        }
        Process xz = new ProcessBuilder("xz", "--decompress", "--stdout", "--single-stream")
                .redirectOutput(vmlinux.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (OutputStream in = xz.getOutputStream()) {
            in.write(image, offset, image.length - offset);
        } catch (IOException e) {
            // xz stops reading at the end of its stream; the exit code below tells success.
        }
        try {
            if (!xz.waitFor(120, TimeUnit.SECONDS)) {
                xz.destroyForcibly();
                throw new IOException("xz took more than 120 s to decompress the kernel");
            }
        } catch (InterruptedException e) {
            xz.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while decompressing the kernel", e);
        }
        if (xz.exitValue() != 0) {
            throw new IOException("xz failed (exit " + xz.exitValue() + ") to decompress the kernel in " + bzImage);
        }
        try (InputStream head = Files.newInputStream(vmlinux)) {
            if (!startsWith(head.readNBytes(4), 0, ELF_MAGIC)) {
                throw new IOException("the payload of " + bzImage + " is not an ELF vmlinux");
            }
        }
    }

    static int indexOf(byte[] data, byte[] pattern) {
        for (int i = 0; i + pattern.length <= data.length; i++) {
            if (startsWith(data, i, pattern)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] data, int offset, byte[] prefix) {
        if (data.length - offset < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
