package dev.golemsandbox.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Debian's generic amd64 kernel package: the one behind {@code linux-image-amd64}, and where its
 * bzImage and modules are once unpacked. The guest boots it when the sandbox's own kernel cannot be
 * built ({@link SandboxKernel}) or when asked to.
 */
final class DebianKernel {

    static final String META_PACKAGE = "linux-image-amd64";

    private DebianKernel() {
    }

    /** The kernel package apt would install now. */
    static AptPackage resolve() throws IOException {
        return AptPackage.behind(META_PACKAGE, "linux-image-");
    }

    /** The bzImage in an unpacked package. */
    static Path bzImageIn(Path root) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("boot"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("vmlinuz-")).findFirst()
                    .orElseThrow(() -> new IOException("no boot/vmlinuz-* in the kernel package"));
        }
    }

    /** The module tree in an unpacked package ({@code lib/modules/<release>}). */
    static Path modulesIn(Path root) throws IOException {
        Path base = Files.isDirectory(root.resolve("lib/modules")) ? root.resolve("lib/modules") : root.resolve("usr/lib/modules");
        try (Stream<Path> releases = Files.list(base)) {
            return releases.filter(Files::isDirectory).findFirst()
                    .orElseThrow(() -> new IOException("no lib/modules/<release> in the kernel package"));
        }
    }
}
