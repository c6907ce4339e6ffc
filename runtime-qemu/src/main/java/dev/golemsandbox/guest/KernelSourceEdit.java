package dev.golemsandbox.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A change the sandbox makes to the kernel source before compiling it: a piece of text replaced
 * in one file, where the kernel has no option for what the guest needs. Each one must find its
 * text exactly once; one that does not (a newer source) is left out and says so, since the
 * kernel works without it.
 *
 * @param file    relative to the kernel tree
 * @param find    the exact text to replace
 * @param replace what replaces it
 * @param why     said when the edit cannot be made
 */
record KernelSourceEdit(String file, String find, String replace, String why) {

    /**
     * QEMU's virtio-serial has 1024-entry receive queues, and the guest driver fills each with a
     * 4 KiB buffer per entry: 8 MiB of an idle VM's memory for the agent's port and the control
     * queue. 64 buffers (256 KiB in flight) carry the agent's requests; the driver hands each
     * buffer back to its queue once read, so the count stays.
     */
    static final List<KernelSourceEdit> ALL = List.of(new KernelSourceEdit(
            "drivers/char/virtio_console.c",
            "\t\tnr_added_bufs++;\n\t\tspin_unlock_irq(lock);\n\t} while (ret > 0);",
            "\t\tnr_added_bufs++;\n\t\tspin_unlock_irq(lock);\n\t} while (ret > 0 && nr_added_bufs < 64);",
            "virtio-serial queues keep 1024 receive buffers each (8 MiB more per VM)"));

    /**
     * Makes the edit in {@code tree}.
     *
     * @return false when the text is not found exactly once (nothing is changed then)
     */
    boolean applyTo(Path tree) throws IOException {
        Path path = tree.resolve(file);
        if (!Files.isRegularFile(path)) {
            return false;
        }
        String source = Files.readString(path, StandardCharsets.UTF_8);
        int at = source.indexOf(find);
        if (at < 0 || source.indexOf(find, at + 1) >= 0) {
            return false;
        }
        Files.writeString(path, source.substring(0, at) + replace + source.substring(at + find.length()), StandardCharsets.UTF_8);
        return true;
    }
}
