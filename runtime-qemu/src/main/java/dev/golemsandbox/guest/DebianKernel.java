package dev.golemsandbox.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Debian's generic amd64 kernel, fetched with apt: the concrete package behind the
 * {@code linux-image-amd64} meta package, downloaded with {@code apt-get download} and unpacked
 * with {@code dpkg-deb}.
 *
 * @param packageName e.g. {@code linux-image-6.1.0-56-amd64}
 * @param version     the Debian version of that package, e.g. {@code 6.1.192-2}
 */
public record DebianKernel(String packageName, String version) {

    static final String META_PACKAGE = "linux-image-amd64";

    /** The kernel apt would install now, resolved through the meta package. */
    public static DebianKernel resolve() throws IOException {
        String depends = HostCommand.run(List.of("apt-cache", "depends", META_PACKAGE), null, Duration.ofSeconds(60));
        String packageName = depends.lines().map(String::trim)
                .filter(line -> line.startsWith("Depends: linux-image-"))
                .map(line -> line.substring("Depends: ".length()).trim())
                .findFirst()
                .orElseThrow(() -> new IOException("apt knows no kernel package behind " + META_PACKAGE
                        + "; run 'apt-get update' (Debian amd64 with its main archive is needed)"));
        String policy = HostCommand.run(List.of("apt-cache", "policy", packageName), null, Duration.ofSeconds(60));
        String version = policy.lines().map(String::trim)
                .filter(line -> line.startsWith("Candidate:"))
                .map(line -> line.substring("Candidate:".length()).trim())
                .filter(candidate -> !candidate.equals("(none)"))
                .findFirst()
                .orElseThrow(() -> new IOException("apt has no installable version of " + packageName
                        + "; run 'apt-get update'"));
        return new DebianKernel(packageName, version);
    }

    /** A name for caches: package and version, safe as a file name. */
    public String cacheKey() {
        return (packageName + "_" + version).replaceAll("[^A-Za-z0-9._+-]", "_");
    }

    /** Downloads the package into {@code dir} and unpacks it into {@code dir/root}; returns that root. */
    public Path fetch(Path dir, Consumer<String> progress) throws IOException {
        progress.accept("downloading " + packageName + " " + version + " (apt-get download)");
        HostCommand.run(List.of("apt-get", "download", "-q", packageName + "=" + version), dir, Duration.ofMinutes(15));
        Path deb;
        try (Stream<Path> files = Files.list(dir)) {
            deb = files.filter(f -> f.getFileName().toString().endsWith(".deb")).findFirst()
                    .orElseThrow(() -> new IOException("apt-get download left no .deb in " + dir));
        }
        progress.accept("unpacking " + deb.getFileName());
        Path root = dir.resolve("root");
        HostCommand.run(List.of("dpkg-deb", "-x", deb.toString(), root.toString()), null, Duration.ofMinutes(5));
        Files.delete(deb);
        return root;
    }

    /** The bzImage in an unpacked package. */
    public static Path bzImageIn(Path root) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("boot"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("vmlinuz-")).findFirst()
                    .orElseThrow(() -> new IOException("no boot/vmlinuz-* in the kernel package"));
        }
    }

    /** The module tree in an unpacked package ({@code lib/modules/<release>}). */
    public static Path modulesIn(Path root) throws IOException {
        Path base = Files.isDirectory(root.resolve("lib/modules")) ? root.resolve("lib/modules") : root.resolve("usr/lib/modules");
        try (Stream<Path> releases = Files.list(base)) {
            return releases.filter(Files::isDirectory).findFirst()
                    .orElseThrow(() -> new IOException("no lib/modules/<release> in the kernel package"));
        }
    }
}
