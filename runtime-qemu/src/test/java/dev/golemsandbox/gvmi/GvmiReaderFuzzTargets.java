package dev.golemsandbox.gvmi;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzz target for the GVMI reader, which opens images pushed to the registry or
 * downloaded from anywhere: any file either opens as an image whose parts add up, or is refused
 * with {@link GvmiFormatException}, never another exception, and never allocates more than the
 * file holds. A plain test run replays the seeds and regression inputs; {@code JAZZER_FUZZ=1}
 * fuzzes for the budget ({@code -Djazzer.max_duration} overrides it).
 */
class GvmiReaderFuzzTargets {

    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "60s")
    void trailerReaderRefusesOrReads(byte[] input) throws IOException {
        Path file = Files.write(dir.resolve("input.gvmi"), input);
        GvmiImage image;
        try {
            image = GvmiImage.open(file);
        } catch (GvmiFormatException refused) {
            return;
        }
        assertThat(image.size()).isEqualTo(input.length);
        assertThat(image.squashfsSize()).isBetween(0L, (long) input.length);
        image.squashfsCompression();
        // What was read is a config the writer can write again, and reads back the same.
        ContainerConfig config = image.config();
        assertThat(ContainerConfig.fromJson(config.toJson())).isEqualTo(config);
        GvmiTrailer.encode(config);
    }
}
