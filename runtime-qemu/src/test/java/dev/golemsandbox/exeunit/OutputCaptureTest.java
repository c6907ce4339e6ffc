package dev.golemsandbox.exeunit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputCaptureTest {

    @Test
    void keepsEverythingUpToTheCap() {
        OutputCapture capture = new OutputCapture(10);
        capture.append("hello".getBytes(StandardCharsets.UTF_8));
        capture.append("world".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(capture.bytes(), StandardCharsets.UTF_8)).isEqualTo("helloworld");
        assertThat(capture.truncated()).isFalse();
    }

    @Test
    void pastTheCapEndsWithAMarkerCountingWhatWasDropped() {
        OutputCapture capture = new OutputCapture(8);
        capture.append("0123456".getBytes(StandardCharsets.UTF_8));
        capture.append("789abc".getBytes(StandardCharsets.UTF_8));
        assertThat(capture.truncated()).isTrue();
        assertThat(new String(capture.bytes(), StandardCharsets.UTF_8))
                .startsWith("01234567\n")
                .contains("output truncated: 5 more bytes after the first 8");
    }
}
