package dev.golemsandbox.exeunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeMappingTest {

    @TempDir
    Path temp;

    @Test
    void longestVolumePrefixWinsAndTraversalIsRefused() throws Exception {
        Path outer = Files.createDirectories(temp.resolve("golem"));
        Path inner = Files.createDirectories(temp.resolve("golem-output"));
        VolumeMapping mapping = new VolumeMapping(List.of(new Volume("/golem", outer), new Volume("/golem/output", inner)));

        assertThat(mapping.hostPathOf("/golem/output/a.txt")).isEqualTo(inner.resolve("a.txt"));
        assertThat(mapping.hostPathOf("container:/golem/input/b.txt")).isEqualTo(outer.resolve("input/b.txt"));
        assertThat(mapping.hostPathOf("/golem/output")).isEqualTo(inner);
        assertThat(mapping.hostPathOf("/golem//output/./c")).isEqualTo(inner.resolve("c"));

        for (String bad : List.of("/etc/passwd", "relative/path", "/golem/output/../../x", "/golemx/file", "/golem/output/../../../etc")) {
            assertThatThrownBy(() -> mapping.hostPathOf(bad))
                    .isInstanceOf(ExeUnitException.PathNotFound.class)
                    .hasMessage("path not found in container: " + bad);
        }
    }

    @Test
    void aSymlinkOutOfTheVolumeIsRefused() throws Exception {
        Path volume = Files.createDirectories(temp.resolve("vol"));
        Files.createSymbolicLink(volume.resolve("escape"), Path.of("/"));
        VolumeMapping mapping = new VolumeMapping(List.of(new Volume("/data", volume)));
        assertThatThrownBy(() -> mapping.hostPathOf("/data/escape/etc/passwd"))
                .isInstanceOf(ExeUnitException.PathNotFound.class);
    }
}
