package dev.golemsandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.http.UserError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandHelpTest {

    @ParameterizedTest
    @ValueSource(strings = {"up", "status", "wait", "down", "logs", "env", "prepare", "image", "run", "doctor",
            "recordings", "replay", "gftp"})
    void everyCommandExplainsItselfWithHelp(String command) {
        CliRun run = CliRun.of(command, "--help");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("Usage: golem-sandbox " + command);
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "env", "down", "logs"})
    void commandsThatNeedARunningSandboxSaySoInOneLine(String command) {
        CliRun run = CliRun.of(command, "--data-dir", "/nonexistent/golem-sandbox-home");
        assertThat(run.exitCode()).as(run.toString()).isIn(UserError.UNAVAILABLE, UserError.BAD_INPUT);
        assertThat(run.errorLines()).isEqualTo(1);
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
