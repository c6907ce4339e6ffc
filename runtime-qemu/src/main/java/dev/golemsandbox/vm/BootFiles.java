package dev.golemsandbox.vm;

import dev.golemsandbox.guest.GuestAssets;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The VM's own copies of the kernel and initramfs that QEMU boots from. QEMU keeps both files
 * mapped for as long as it runs, to load them again on a reset, and the pages it read at boot
 * stay in its resident memory: 34 MiB for the packed Debian kernel and our initramfs. With
 * {@code -no-reboot} there is no reset (the VM ends instead), so once the guest runs nothing reads
 * them again: {@link #release} truncates the copies, which takes their pages out of QEMU's
 * mappings, and deletes them. The shared cached files cannot be truncated, hence the copies.
 *
 * <pre>{@code
 * BootFiles boot = BootFiles.stage(config.assets(), runDir);   // before QEMU starts
 * ... QemuCommand.of(config, boot, socket) ...
 * boot.release();                                             // once the agent is ready, or QEMU is gone
 * }</pre>
 */
final class BootFiles {

    private final Path kernel;
    private final Path initramfs;

    private BootFiles(Path kernel, Path initramfs) {
        this.kernel = kernel;
        this.initramfs = initramfs;
    }

    /** Copies the kernel and initramfs of {@code assets} into {@code dir}. */
    static BootFiles stage(GuestAssets assets, Path dir) throws IOException {
        BootFiles files = new BootFiles(dir.resolve("kernel"), dir.resolve("initramfs"));
        try {
            Files.copy(assets.kernel(), files.kernel);
            Files.copy(assets.initramfs(), files.initramfs);
        } catch (IOException e) {
            files.release();
            throw new IOException("cannot copy the guest kernel and initramfs into " + dir + ": " + e.getMessage(), e);
        }
        return files;
    }

    Path kernel() {
        return kernel;
    }

    Path initramfs() {
        return initramfs;
    }

    /**
     * Empties and deletes both copies. Legal once the guest kernel runs (QEMU has loaded both) or
     * QEMU has exited; idempotent. Best effort: a copy that stays only costs memory and disk.
     */
    void release() {
        for (Path file : new Path[] {kernel, initramfs}) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(0);
            } catch (IOException e) {
                // Already gone, or never copied.
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Left for RunDirectory's sweep of abandoned directories.
            }
        }
    }
}
