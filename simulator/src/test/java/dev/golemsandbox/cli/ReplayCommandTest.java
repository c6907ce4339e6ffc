package dev.golemsandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.http.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What 'replay' says about a recording it refuses, before it looks for a sandbox. */
class ReplayCommandTest {

    @TempDir
    Path dir;

    @Test
    void aRecordingWhoseBlobIsAPathIsRefusedInOneLineAndLeftAsItIs() throws Exception {
        String hostile = """
                {"format": "golem-sandbox-script/1", "image": {"tag": "golem/alpine:latest"},
                 "activities": [{"batches": [
                   {"exeScript": [{"transfer": {"from": "gftp://0xabc/x", "to": "container:/golem/input/x"}}],
                    "results": [{"index": 0, "result": "Ok", "upload": {"blob": "../../etc/passwd", "size": 1}}]}]}]}
                """;
        Path file = Files.writeString(dir.resolve("hostile.json"), hostile);

        CliRun run = CliRun.of("replay", "--update", "--data-dir", dir.resolve("home").toString(), file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(UserError.BAD_INPUT);
        assertThat(run.errorLines()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("$.activities[0].batches[0].results[0].upload.blob: must be a sha256")
                .doesNotContain("\tat ");
        assertThat(Files.readString(file)).isEqualTo(hostile);
    }
}
