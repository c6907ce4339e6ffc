package dev.golemsandbox.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the guest's initramfs: the agent as {@code /init} and the kernel modules with
 * {@code /modules/order}, the load order the agent follows. Nothing else: what is here stays in
 * the guest's memory for the VM's life, and every command runs chrooted into the image. Left
 * uncompressed: unpacking costs less than decompressing under TCG.
 */
public final class InitramfsBuilder {

    private InitramfsBuilder() {
    }

    public static void write(Path out, AgentBinary agent, List<KernelModule> modules) throws IOException {
        StringBuilder order = new StringBuilder();
        try (CpioArchive cpio = new CpioArchive(Files.newOutputStream(out))) {
            for (String dir : List.of("dev", "proc", "sys", "mnt", "tmp", "modules")) {
                cpio.directory(dir, 0755);
            }
            cpio.file("init", 0755, agent.bytes());
            for (KernelModule module : modules) {
                String name = module.name() + ".ko";
                cpio.file("modules/" + name, 0644, module.bytes());
                order.append(name).append('\n');
            }
            cpio.file("modules/order", 0644, order.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
