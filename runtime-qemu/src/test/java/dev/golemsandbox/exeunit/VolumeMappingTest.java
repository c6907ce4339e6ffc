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

        assertThat(mapping.volumePathOf("/golem/output/a.txt").hostPath()).isEqualTo(inner.resolve("a.txt"));
        assertThat(mapping.volumePathOf("container:/golem/input/b.txt").hostPath()).isEqualTo(outer.resolve("input/b.txt"));
        assertThat(mapping.volumePathOf("/golem/output").hostPath()).isEqualTo(inner);
        assertThat(mapping.volumePathOf("/golem//output/./c").hostPath()).isEqualTo(inner.resolve("c"));

        for (String bad : List.of("/etc/passwd", "relative/path", "/golem/output/../../x", "/golemx/file", "/golem/output/../../../etc")) {
            assertThatThrownBy(() -> mapping.volumePathOf(bad))
                    .isInstanceOf(ExeUnitException.PathNotFound.class)
                    .hasMessage("path not found in container: " + bad);
        }
    }

    @Test
    void ninePMetadataIsNoPathOfTheVm() throws Exception {
        VolumeMapping mapping = new VolumeMapping(List.of(new Volume("/data", temp)));
        assertThatThrownBy(() -> mapping.volumePathOf("/data/.virtfs_metadata/x"))
                .isInstanceOf(ExeUnitException.PathNotFound.class);
        assertThat(mapping.volumePathOf("/data/a/b").relative()).isEqualTo("a/b");
        assertThat(mapping.volumePathOf("/data/").relative()).isEmpty();
    }
}
