package dev.golemsandbox.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One run of the CLI in this JVM through {@link GolemSandboxCommand#execute}, with what it printed.
 *
 * <pre>{@code
 * CliRun run = CliRun.of("image", "ls", "--data-dir", dir.toString());
 * assertThat(run.exitCode()).isZero();
 * }</pre>
 */
record CliRun(int exitCode, String out, String err) {

    static synchronized CliRun of(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = GolemSandboxCommand.execute(args);
            return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    /** The value of a "name:   value" line of the output. */
    String field(String name) {
        return out.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).trim())
                .findFirst().orElseThrow(() -> new AssertionError("no '" + name + ":' line in:\n" + out + err));
    }

    /** stderr lines that are errors (one expected per failure). */
    long errorLines() {
        return err.lines().filter(l -> l.startsWith("error: ")).count();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
