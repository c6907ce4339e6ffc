package dev.golemsandbox.home;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deleting a directory tree that others (QEMU, a sweeper) may be emptying at the same time. */
public final class FileTrees {

    private FileTrees() {
    }

    /**
     * Deletes {@code root} and what is under it, without following links; best effort (what is
     * left goes with a later sweep). A file that vanishes during the walk is no failure: the walk
     * reports it as an UncheckedIOException, which must not reach the caller.
     */
    public static void deleteQuietly(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            // Someone else is deleting it too, or it is not ours to delete.
        }
    }
}
