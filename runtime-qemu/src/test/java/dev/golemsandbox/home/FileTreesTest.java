package dev.golemsandbox.home;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @TempDir
    Path temp;

    @Test
    void aTreeEmptiedByAnotherDeleterAtTheSameTimeIsNoFailure() throws Exception {
        for (int round = 0; round < 20; round++) {
            Path root = Files.createDirectories(temp.resolve("run-" + round));
            for (int d = 0; d < 20; d++) {
                Path dir = Files.createDirectories(root.resolve("d" + d));
                for (int f = 0; f < 20; f++) {
                    Files.writeString(dir.resolve("f" + f), "x");
                }
            }
            // Two deleters race over the same tree, as QEMU's exit and a stop do over a run directory.
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> FileTrees.deleteQuietly(root));
            FileTrees.deleteQuietly(root);
            other.get();
            assertThat(root).doesNotExist();
        }
    }

    @Test
    void aTreeThatIsNotThereIsNoFailure() {
        FileTrees.deleteQuietly(temp.resolve("never"));
        assertThat(temp.resolve("never")).doesNotExist();
    }
}
