package dev.golemsandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code golem-sandbox run} end to end: real VMs, the CLI's own output and exit codes. */
class RunCommandTest {

    @TempDir
    static Path temp;

    static Path image;
    static SandboxHome home;

    @BeforeAll
    static void image() throws Exception {
        image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.standardConfig());
        home = TestRuntime.home(temp.resolve("home"));
    }

    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static Outcome cli(String stdin, String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        InputStream savedIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            String[] full = new String[args.length + 1];
            full[0] = args[0];
            full[1] = "--data-dir=" + home.root();
            System.arraycopy(args, 1, full, 2, args.length - 1);
            int code = GolemSandboxCommand.execute(full);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            System.setIn(savedIn);
        }
    }

    @Test
    void runsOneCommandPrintsItsOutputAndExitsWithItsCode() {
        Outcome outcome = cli("", "run", "--image", image.toString(), "--mem", "256m", "--",
                "/bin/sh", "-c", "echo $GREETING from $(pwd); echo warning >&2; exit 7");
        assertThat(outcome.stdout()).as(outcome.stderr()).isEqualTo("hello from /work\n");
        assertThat(outcome.stderr()).contains("warning\n");
        assertThat(outcome.exitCode()).isEqualTo(7);
    }

    @Test
    void withoutACommandEachPipedLineRunsInTheSameVm() throws Exception {
        Path volumes = temp.resolve("kept");
        Outcome outcome = cli("echo first > /work/state\ncat /work/state\nfalse\necho done > /golem/output/result\nexit\necho never\n",
                "run", "--image", image.toString(), "--volume-dir", volumes.toString());
        assertThat(outcome.stdout()).isEqualTo("first\n");
        assertThat(outcome.stderr()).contains("exit code 1");
        assertThat(outcome.exitCode()).isZero();
        assertThat(Files.readString(volumes.resolve("volumes/golem-output/result"))).isEqualTo("done\n");
        assertThat(volumes.resolve("vm/console.log")).exists();
    }

    @Test
    void aMissingImageIsOneLineAndExitCode2() {
        Outcome outcome = cli("", "run", "--image", temp.resolve("nope.gvmi").toString(), "--", "/bin/true");
        assertThat(outcome.exitCode()).isEqualTo(UserError.BAD_INPUT);
        assertThat(outcome.stderr()).startsWith("error: no image ").doesNotContain("Exception");
    }

    @Test
    void aCorruptImageIsRefusedWithTheImageError() throws Exception {
        Path corrupt = temp.resolve("corrupt.gvmi");
        byte[] bytes = Files.readAllBytes(image);
        bytes[bytes.length - 9] ^= 0x20;
        Files.write(corrupt, bytes);
        Outcome outcome = cli("", "run", "--image", corrupt.toString(), "--", "/bin/true");
        assertThat(outcome.exitCode()).isEqualTo(UserError.BAD_INPUT);
        assertThat(outcome.stderr()).contains("CRC mismatch").doesNotContain("\tat ");
    }

    @Test
    void doctorReportsQemuAndTheAccelerator() {
        Outcome outcome = cli("", "doctor");
        assertThat(outcome.stdout()).contains("ok  QEMU: QEMU emulator version").contains("accelerator");
    }
}
