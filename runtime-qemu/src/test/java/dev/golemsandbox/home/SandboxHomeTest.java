package dev.golemsandbox.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory holds the app key and the activities' files: other local users get nothing of it. */
class SandboxHomeTest {

    @TempDir
    Path dir;

    @Test
    void aNewDataDirectoryIsTheOwnersOnly() throws IOException {
        SandboxHome home = new SandboxHome(dir.resolve("parent/golem-sandbox")).secured();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.root()))).isEqualTo("rwx------");
    }

    @Test
    void anExistingDataDirectoryOthersCouldReadIsTightened() throws IOException {
        Path root = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));

        new SandboxHome(root).secured();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rwx------");
    }

    @Test
    void aFileWhereTheDataDirectoryShouldBeIsAClearError() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertThatThrownBy(() -> new SandboxHome(file).secured()).isInstanceOf(IOException.class)
                .hasMessage("the data directory " + file + " exists and is not a directory");
    }
}
