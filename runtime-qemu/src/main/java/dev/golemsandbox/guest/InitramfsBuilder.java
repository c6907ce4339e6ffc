package dev.golemsandbox.guest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the guest's initramfs: the agent as {@code /init}, busybox for the guest's own needs
 * (a shell on the console when debugging), and the kernel modules with {@code /modules/order},
 * the load order the agent follows. Left uncompressed: unpacking costs less than decompressing
 * under TCG.
 */
public final class InitramfsBuilder {

    private InitramfsBuilder() {
    }

    public static void write(Path out, AgentBinary agent, Path busybox, List<KernelModule> modules) throws IOException {
        byte[] busyboxBytes = Files.readAllBytes(busybox);
        requireStatic(busybox, busyboxBytes);
        StringBuilder order = new StringBuilder();
        try (CpioArchive cpio = new CpioArchive(Files.newOutputStream(out))) {
            for (String dir : List.of("bin", "dev", "proc", "sys", "mnt", "tmp", "modules")) {
                cpio.directory(dir, 0755);
            }
            cpio.file("init", 0755, agent.bytes());
            cpio.file("bin/busybox", 0755, busyboxBytes);
            cpio.symlink("bin/sh", "busybox");
            for (KernelModule module : modules) {
                String name = module.name() + ".ko";
                cpio.file("modules/" + name, 0644, module.bytes());
                order.append(name).append('\n');
            }
            cpio.file("modules/order", 0644, order.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A dynamically linked busybox would not run in the initramfs, which has no libc. */
    private static void requireStatic(Path file, byte[] elf) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.length < 64 || in.getInt(0) != 0x464c457f || elf[4] != 2) {
            throw new IOException(file + " is not a 64-bit ELF binary; install busybox-static");
        }
        long programTable = in.getLong(0x20);
        int entrySize = Short.toUnsignedInt(in.getShort(0x36));
        int count = Short.toUnsignedInt(in.getShort(0x38));
        for (int i = 0; i < count; i++) {
            if (in.getInt((int) (programTable + (long) i * entrySize)) == 3) {
                throw new IOException(file + " is dynamically linked; the guest needs a static busybox"
                        + " (apt-get install busybox-static)");
            }
        }
    }
}
