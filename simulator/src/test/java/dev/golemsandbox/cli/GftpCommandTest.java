package dev.golemsandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code golem-sandbox gftp}: the gftp program for a sandbox that runs elsewhere, and the PATH line for it. */
class GftpCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesARunnableGftpAndPrintsThePathLine() throws Exception {
        Path bin = dir.resolve("my bin");
        CliRun run = CliRun.of("gftp", "--dir", bin.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().trim()).isEqualTo("export PATH='" + bin + "':\"$PATH\"");
        Path gftp = bin.resolve("gftp");
        assertThat(gftp).isExecutable();
        Process version = new ProcessBuilder(gftp.toString(), "server").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        version.getOutputStream().write("{\"jsonrpc\": \"2.0\", \"id\": \"1\", \"method\": \"version\", \"params\": {}}\n".getBytes());
        version.getOutputStream().close();
        assertThat(version.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(version.getInputStream().readAllBytes())).startsWith("{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":\"");
        assertThat(version.exitValue()).isZero();
    }

    @Test
    void withoutTheServerArgumentItSaysHowToRunIt() throws Exception {
        CliRun.of("gftp", "--dir", dir.toString());
        Process wrong = new ProcessBuilder(dir.resolve("gftp").toString(), "publish", "x").start();
        assertThat(wrong.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(wrong.exitValue()).isEqualTo(2);
        String err = new String(wrong.getErrorStream().readAllBytes()).strip();
        assertThat(err).isEqualTo("gftp: the sandbox's gftp speaks JSON-RPC on stdin and stdout only; run it as: gftp server");
        assertThat(Files.readString(dir.resolve("gftp"))).startsWith("#!/bin/sh\n");
    }

    @Test
    void aDirectoryItCannotWriteIsOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "");
        CliRun run = CliRun.of("gftp", "--dir", file.resolve("bin").toString());
        assertThat(run.exitCode()).isEqualTo(dev.golemsandbox.http.UserError.BAD_INPUT);
        assertThat(run.errorLines()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: cannot write gftp into " + file.resolve("bin")).doesNotContain("\tat ");
    }
}
