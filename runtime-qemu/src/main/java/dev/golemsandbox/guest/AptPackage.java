package dev.golemsandbox.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One Debian package at one version, resolved through a meta package (such as
 * {@code linux-image-amd64}) the way apt would install it now, downloaded with
 * {@code apt-get download} and unpacked with {@code dpkg-deb}: nothing is installed on the host.
 *
 * @param name    e.g. {@code linux-image-6.1.0-56-amd64}
 * @param version the Debian version apt offers for it, e.g. {@code 6.1.192-2}
 */
public record AptPackage(String name, String version) {

    /** The package behind {@code meta} whose name starts with {@code prefix}, at apt's candidate version. */
    public static AptPackage behind(String meta, String prefix) throws IOException {
        String depends = HostCommand.run(List.of("apt-cache", "depends", meta), null, Duration.ofSeconds(60));
        String name = depends.lines().map(String::trim)
                .filter(line -> line.startsWith("Depends: " + prefix))
                .map(line -> line.substring("Depends: ".length()).trim())
                .findFirst()
                .orElseThrow(() -> new IOException("apt knows no package behind " + meta
                        + "; run 'apt-get update' (Debian amd64 with its main archive is needed)"));
        String policy = HostCommand.run(List.of("apt-cache", "policy", name), null, Duration.ofSeconds(60));
        String version = policy.lines().map(String::trim)
                .filter(line -> line.startsWith("Candidate:"))
                .map(line -> line.substring("Candidate:".length()).trim())
                .filter(candidate -> !candidate.equals("(none)"))
                .findFirst()
                .orElseThrow(() -> new IOException("apt has no installable version of " + name + "; run 'apt-get update'"));
        return new AptPackage(name, version);
    }

    /** Package and version, safe as a file name: what caches built from it are keyed by. */
    public String cacheKey() {
        return (name + "_" + version).replaceAll("[^A-Za-z0-9._+-]", "_");
    }

    /** Downloads the package into {@code dir} and unpacks it into {@code dir/root}; returns that root. */
    public Path fetch(Path dir, Consumer<String> progress) throws IOException {
        progress.accept("downloading " + name + " " + version + " (apt-get download)");
        HostCommand.run(List.of("apt-get", "download", "-q", name + "=" + version), dir, Duration.ofMinutes(15));
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
}
