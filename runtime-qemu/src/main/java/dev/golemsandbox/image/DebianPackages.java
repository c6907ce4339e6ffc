package dev.golemsandbox.image;

import dev.golemsandbox.guest.HostCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Debian packages with everything they depend on, fetched with the host's apt as they would be
 * installed on an empty system: apt resolves against an empty package status (so what the host
 * has installed, or installed from elsewhere, plays no part) and downloads into a directory of
 * this build's own. Needs apt's package lists and a reachable Debian mirror, no root.
 *
 * <pre>{@code
 * List<Path> debs = DebianPackages.download(List.of("nodejs", "dash"), cacheDir, progress);
 * }</pre>
 */
public final class DebianPackages {

    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(10);

    private DebianPackages() {
    }

    /**
     * Downloads {@code packages} and their dependencies (no recommends) into {@code dir/archives},
     * emptied first so that only this closure is there.
     *
     * @return the .deb files, sorted by name
     * @throws ToolUnavailableException when apt-get is missing
     * @throws ImageConversionException when apt cannot resolve or fetch them
     */
    public static List<Path> download(List<String> packages, Path dir, ProgressListener progress)
            throws ImageConversionException, IOException {
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            throw new ToolUnavailableException("apt-get is missing: the stand-in images are built from Debian packages,"
                    + " so they need a Debian host (or map the tag to an image of your own)");
        }
        Path archives = dir.resolve("archives");
        deleteTree(archives);
        Files.createDirectories(archives.resolve("partial"));
        Files.createDirectories(dir.resolve("apt-cache"));
        Path status = dir.resolve("empty-status");
        Files.write(status, new byte[0]);
        List<String> command = new ArrayList<>(List.of("/usr/bin/apt-get", "-q",
                "-o", "Dir::State::status=" + status,
                "-o", "Dir::Cache=" + dir.resolve("apt-cache"),
                "-o", "Dir::Cache::archives=" + archives,
                "-o", "Debug::NoLocking=1",
                // Without a reachable mirror, fail in seconds rather than after apt's retries.
                "-o", "Acquire::Retries=1",
                "-o", "Acquire::http::Timeout=15",
                "install", "--download-only", "--yes", "--no-install-recommends"));
        command.addAll(packages);
        progress.step("downloading Debian packages " + String.join(", ", packages) + " and their dependencies");
        try {
            HostCommand.run(command, dir, DOWNLOAD_TIMEOUT);
        } catch (IOException e) {
            throw new ImageConversionException("apt-get could not fetch " + String.join(", ", packages) + ": "
                    + e.getMessage() + " (is a Debian mirror reachable, and have apt's lists been fetched with apt-get update?)", e);
        }
        try (Stream<Path> files = Files.list(archives)) {
            List<Path> debs = files.filter(f -> f.getFileName().toString().endsWith(".deb")).sorted().toList();
            if (debs.isEmpty()) {
                throw new ImageConversionException("apt-get fetched nothing for " + String.join(", ", packages));
            }
            return debs;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
