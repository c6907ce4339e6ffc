package dev.golemsandbox.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Range headers of downloads, resolved against a 1000-byte file. */
class ByteRangeTest {

    @Test
    void singleRangesResolve() {
        assertThat(ByteRange.parse("bytes=0-99", 1000)).contains(new ByteRange(0, 99));
        assertThat(ByteRange.parse("bytes=900-", 1000)).contains(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=-10", 1000)).contains(new ByteRange(990, 999));
        assertThat(ByteRange.parse("bytes=-5000", 1000)).contains(new ByteRange(0, 999));
        assertThat(ByteRange.parse("bytes=500-5000", 1000)).contains(new ByteRange(500, 999));
        assertThat(ByteRange.parse(" bytes = 1 - 2 ", 1000)).contains(new ByteRange(1, 2));
        assertThat(new ByteRange(10, 19).contentRange(1000)).isEqualTo("bytes 10-19/1000");
        assertThat(new ByteRange(10, 19).length()).isEqualTo(10);
    }

    @Test
    void noHeaderOrSeveralRangesMeanTheWholeFile() {
        assertThat(ByteRange.parse(null, 1000)).isEmpty();
        assertThat(ByteRange.parse("bytes=0-1,5-6", 1000)).isEmpty();
    }

    @Test
    void unsatisfiableRangesAre416WithTheSize() {
        for (String bad : new String[] {"bytes=1000-", "bytes=5-4", "bytes=-0", "bytes=-", "items=0-1", "bytes=x-y", "bytes=99999999999999999999-"}) {
            assertThatThrownBy(() -> ByteRange.parse(bad, 1000)).as(bad)
                    .isInstanceOfSatisfying(RegistryApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(416);
                        assertThat(e.contentRange()).isEqualTo("bytes */1000");
                        assertThat(e.getMessage()).isEqualTo("the range '" + bad + "' cannot be served from a 1000-byte image");
                    });
        }
    }
}
