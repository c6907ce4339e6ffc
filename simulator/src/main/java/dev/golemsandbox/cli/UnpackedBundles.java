package dev.golemsandbox.cli;

import dev.golemsandbox.home.FileTrees;
import dev.golemsandbox.home.SandboxHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where {@code replay} unpacks recording bundles: {@code <data dir>/replays/<pid>}, deleted when
 * the replay ends; one left by a replay that was killed is deleted by the next replay.
 */
final class UnpackedBundles implements AutoCloseable {

    private final Path directory;
    private int bundles;

    private UnpackedBundles(Path directory) {
        this.directory = directory;
    }

    static UnpackedBundles in(SandboxHome home) throws IOException {
        Path parent = Files.createDirectories(home.root().resolve("replays"));
        try (Stream<Path> children = Files.list(parent)) {
            for (Path child : children.toList()) {
                String name = child.getFileName().toString();
                if (name.matches("\\d{1,18}") && ProcessHandle.of(Long.parseLong(name)).isEmpty()) {
                    FileTrees.deleteQuietly(child);
                }
            }
        }
        Path own = parent.resolve(Long.toString(ProcessHandle.current().pid()));
        FileTrees.deleteQuietly(own);
        return new UnpackedBundles(Files.createDirectories(own));
    }

    /** A fresh, empty directory for the next bundle. */
    Path next() throws IOException {
        return Files.createDirectories(directory.resolve("bundle-" + (++bundles)));
    }

    @Override
    public void close() {
        FileTrees.deleteQuietly(directory);
    }
}
