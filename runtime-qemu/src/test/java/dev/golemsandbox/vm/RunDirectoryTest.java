package dev.golemsandbox.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VM run directories, which hold copies of the kernel while a VM boots, do not pile up in the temp dir. */
class RunDirectoryTest {

    @TempDir
    Path temp;

    private String savedTmpdir;

    @BeforeEach
    void useOwnTempDir() {
        savedTmpdir = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", temp.toString());
    }

    @AfterEach
    void restoreTempDir() {
        System.setProperty("java.io.tmpdir", savedTmpdir);
    }

    @Test
    void directoriesOfJvmsThatAreGoneAreRemovedAndLiveOnesKept() throws Exception {
        long deadPid = impossiblePid();
        Path abandoned = Files.createDirectories(temp.resolve("golem-vm-" + deadPid + "-123"));
        Files.write(abandoned.resolve("kernel"), new byte[4096]);
        Path live = Files.createDirectories(temp.resolve("golem-vm-" + ProcessHandle.current().pid() + "-456"));
        Path unrelated = Files.createDirectories(temp.resolve("golem-vm-cache"));

        Path created = RunDirectory.create();

        assertThat(abandoned).doesNotExist();
        assertThat(live).isDirectory();
        assertThat(unrelated).isDirectory();
        assertThat(created).isDirectory().hasParent(temp);
        assertThat(created.getFileName().toString()).startsWith("golem-vm-" + ProcessHandle.current().pid() + "-");

        RunDirectory.delete(created);
        assertThat(created).doesNotExist();
    }

    /** A pid no process can have: above PID_MAX_LIMIT (2^22), the most Linux allows. */
    private static long impossiblePid() {
        return (1L << 22) + 1;
    }
}
