package dev.golemsandbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mksquashfs runner: its command line, its progress, and its failures. */
class MksquashfsTest {

    @TempDir
    Path dir;

    @Test
    void argumentsAreGvmkitBuildsPlusOptions() {
        Path src = Path.of("/src");
        Path out = Path.of("/out.sqfs");
        assertThat(new Mksquashfs(Compression.LZO).arguments(src, out))
                .containsExactly("/src", "/out.sqfs", "-comp", "lzo", "-noappend", "-quiet");
        assertThat(new Mksquashfs(Compression.XZ).withPseudoFile(Path.of("/p"))
                .withRootAttributes(new Mksquashfs.RootAttributes(0755, 1, 2, 3)).withFixedTime(0).arguments(src, out))
                .containsExactly("/src", "/out.sqfs", "-comp", "xz", "-noappend", "-quiet", "-pf", "/p",
                        "-root-mode", "755", "-root-uid", "1", "-root-gid", "2", "-root-time", "3", "-all-time", "0", "-mkfs-time", "0");
    }

    @Test
    void progressReachesTheTotal() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        for (int i = 0; i < 50; i++) {
            Files.write(src.resolve("f" + i), new byte[200_000 + i]);
        }
        List<long[]> events = new ArrayList<>();
        ProgressListener progress = new ProgressListener() {
            @Override
            public void step(String description) {
            }

            @Override
            public void progress(String step, long done, long total) {
                events.add(new long[] {done, total});
            }
        };
        new Mksquashfs(Compression.LZ4).run(src, dir.resolve("out.sqfs"), progress);
        assertThat(events).isNotEmpty();
        long[] last = events.get(events.size() - 1);
        assertThat(last[0]).isEqualTo(last[1]).isPositive();
    }

    @Test
    void failureCarriesMksquashfsLastWords() {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> new Mksquashfs(Compression.LZO).run(missing, dir.resolve("out.sqfs"), ProgressListener.NONE))
                .isInstanceOf(ImageConversionException.class)
                .hasMessageStartingWith("mksquashfs failed (exit 1) on " + missing + ": ")
                .hasMessageContaining("missing");
    }

    @Test
    void aMissingToolNamesThePackageToInstall() {
        assertThatThrownBy(() -> HostTools.require("mksquashfs-not-here", "squashfs-tools", "writing a GVMI image"))
                .isInstanceOf(ToolUnavailableException.class)
                .hasMessage("mksquashfs-not-here is not installed, and writing a GVMI image needs it: install it with 'apt-get install squashfs-tools'");
    }
}
