package dev.golemsandbox.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A guest that writes its console without end does not fill the host's disk. */
class ConsoleLogCapTest {

    @TempDir
    Path dir;

    @Test
    void aLogPastItsCapIsEmptiedWithALineSayingSo() throws Exception {
        Path log = Files.write(dir.resolve("console.log"), new byte[4096]);

        ConsoleLogCap.enforce(log, 1024);

        assertThat(Files.readString(log)).isEqualTo("[golem-sandbox: the console log passed 1024 bytes and was emptied]\n");
    }

    @Test
    void aLogUnderItsCapIsLeftAlone() throws Exception {
        Path log = Files.writeString(dir.resolve("console.log"), "booted\n");

        ConsoleLogCap.enforce(log, 1024);

        assertThat(Files.readString(log)).isEqualTo("booted\n");
    }
}
