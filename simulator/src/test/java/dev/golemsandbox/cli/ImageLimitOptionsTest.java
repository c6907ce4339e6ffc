package dev.golemsandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.http.UserError;
import dev.golemsandbox.image.ExtractionLimits;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The extraction limits of {@code image convert} and {@code image build}: flags, then environment, then defaults. */
class ImageLimitOptionsTest {

    @Test
    void defaultsAreThirtyTwoGibibytesAndTwoMillionEntries() {
        assertThat(new ImageLimitOptions().limits(Map.of())).isEqualTo(new ExtractionLimits(32L << 30, 2_000_000));
    }

    @Test
    void environmentSetsTheLimitsAndFlagsWin() {
        Map<String, String> env = Map.of("GOLEM_SANDBOX_MAX_IMAGE_BYTES", "512m", "GOLEM_SANDBOX_MAX_IMAGE_ENTRIES", "1000");
        assertThat(new ImageLimitOptions().limits(env)).isEqualTo(new ExtractionLimits(512L << 20, 1000));

        ImageLimitOptions flags = new ImageLimitOptions();
        flags.maxBytes = "2GiB";
        flags.maxEntries = "7";
        assertThat(flags.limits(env)).isEqualTo(new ExtractionLimits(2L << 30, 7));
        flags.maxBytes = "4096";
        assertThat(flags.limits(env).maxBytes()).as("a bare number is bytes").isEqualTo(4096);
    }

    @Test
    void nonsenseIsAUserErrorNamingWhereItCameFrom() {
        ImageLimitOptions flags = new ImageLimitOptions();
        flags.maxBytes = "lots";
        assertThatThrownBy(() -> flags.limits(Map.of()))
                .isInstanceOf(UserError.class).hasMessage("--max-image-bytes lots is not a size");
        assertThatThrownBy(() -> new ImageLimitOptions().limits(Map.of("GOLEM_SANDBOX_MAX_IMAGE_ENTRIES", "0")))
                .isInstanceOf(UserError.class).hasMessage("GOLEM_SANDBOX_MAX_IMAGE_ENTRIES 0 is not a positive number");
        flags.maxBytes = "99999999999t";
        assertThatThrownBy(() -> flags.limits(Map.of())).isInstanceOf(UserError.class);
    }
}
