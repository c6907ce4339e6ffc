package dev.golemsandbox.sandbox;

import dev.golemsandbox.home.SandboxHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory under which a running sandbox keeps its activities' volumes (on disk, since large
 * files belong there): {@code <data dir>/work/<pid>} for the first sandbox of a JVM, then
 * {@code <pid>-2}, ... (tests may run several). Deleted when the sandbox stops; a directory left by
 * a sandbox whose JVM was killed is deleted by the next one to start.
 */
final class ActivityWorkRoot implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ActivityWorkRoot.class);

    private static final AtomicInteger SANDBOXES_IN_THIS_JVM = new AtomicInteger();

    private final Path path;

    private ActivityWorkRoot(Path path) {
        this.path = path;
    }

    static ActivityWorkRoot create(SandboxHome home) throws IOException {
        Path parent = Files.createDirectories(home.root().resolve("work"));
        removeOrphans(parent);
        int n = SANDBOXES_IN_THIS_JVM.incrementAndGet();
        String pid = Long.toString(ProcessHandle.current().pid());
        Path own = parent.resolve(n == 1 ? pid : pid + "-" + n);
        deleteTree(own);
        return new ActivityWorkRoot(Files.createDirectories(own));
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            deleteTree(path);
        } catch (IOException e) {
            LOG.warn("could not delete the activity directory {}: {}", path, e.toString());
        }
    }

    /** Directories of sandboxes (named by pid) that no longer run. */
    private static void removeOrphans(Path parent) throws IOException {
        try (Stream<Path> children = Files.list(parent)) {
            for (Path child : children.toList()) {
                String name = child.getFileName().toString();
                if (name.matches("\\d+(-\\d+)?") && ProcessHandle.of(Long.parseLong(name.split("-")[0])).isEmpty()) {
                    deleteTree(child);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
