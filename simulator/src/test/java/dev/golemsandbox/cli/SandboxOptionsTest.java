package dev.golemsandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.market.ProviderTimeouts;
import dev.golemsandbox.sandbox.SandboxConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SandboxOptionsTest {

    @CommandLine.Command(name = "up")
    static final class Up {
        @CommandLine.Mixin
        SandboxOptions server = new SandboxOptions();
    }

    @TempDir
    Path dir;

    SandboxHome home() {
        return new SandboxHome(dir);
    }

    @Test
    void flagsWinOverTheEnvironment() {
        Up up = new Up();
        new CommandLine(up).parseArgs("--port", "0", "--providers", "1", "--debit-note-interval", "2", "--app-key", "flag-key-01");
        SandboxOptions options = up.server;

        SandboxConfig c = options.toConfig(home(), Map.of("GOLEM_SANDBOX_PORT", "8000", "GOLEM_SANDBOX_PROVIDERS", "5",
                "GOLEM_SANDBOX_APPKEY", "env-key-0001"));

        assertThat(c.port()).isZero();
        assertThat(c.providers()).hasSize(1);
        assertThat(c.debitNoteInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.appKey()).isEqualTo("flag-key-01");
    }

    @Test
    void aRepeatedAppKeyFlagOrACommaSeparatedListAddsKeysAfterTheMainOne() {
        Up up = new Up();
        new CommandLine(up).parseArgs("--app-key", "flag-key-01", "--app-key", "try_golem");
        SandboxConfig flags = up.server.toConfig(home(), Map.of("GOLEM_SANDBOX_APPKEY", "env-key-0001,env-key-0002"));
        assertThat(flags.appKey()).isEqualTo("flag-key-01");
        assertThat(flags.extraAppKeys()).containsExactly("try_golem");

        SandboxConfig env = new Up().server.toConfig(home(), Map.of("GOLEM_SANDBOX_APPKEY", "env-key-0001, try_golem"));
        assertThat(env.appKey()).isEqualTo("env-key-0001");
        assertThat(env.extraAppKeys()).containsExactly("try_golem");
        assertThat(new Up().server.toConfig(home(), Map.of()).extraAppKeys()).isEmpty();
    }

    @Test
    void warmVmsComeFromTheFlagOrTheEnvironmentAndCannotBeNegative() {
        assertThat(new Up().server.toConfig(home(), Map.of()).warmVms()).isEqualTo(SandboxConfig.DEFAULT_WARM_VMS);
        assertThat(new Up().server.toConfig(home(), Map.of("GOLEM_SANDBOX_WARM_VMS", "3")).warmVms()).isEqualTo(3);
        Up up = new Up();
        new CommandLine(up).parseArgs("--warm-vms", "0");
        assertThat(up.server.toConfig(home(), Map.of("GOLEM_SANDBOX_WARM_VMS", "3")).warmVms()).isZero();

        Up negative = new Up();
        new CommandLine(negative).parseArgs("--warm-vms", "-1");
        assertThatThrownBy(() -> negative.server.toConfig(home(), Map.of()))
                .isInstanceOf(UserError.class).hasMessageContaining("warm VMs");
    }

    @Test
    void theProvidersTimeoutsComeFromFlagsOverTheEnvironmentWithYaProvidersDefaults() {
        Up up = new Up();
        new CommandLine(up).parseArgs("--no-activity-timeout", "30", "--session-timeout", "0");
        SandboxConfig c = up.server.toConfig(home(), Map.of("GOLEM_SANDBOX_NO_ACTIVITY_TIMEOUT", "10",
                "GOLEM_SANDBOX_DEBIT_NOTE_ACCEPT_TIMEOUT", "100"));
        assertThat(c.providerTimeouts()).isEqualTo(new ProviderTimeouts(Duration.ofSeconds(30), Duration.ZERO,
                Duration.ofSeconds(100), Duration.ZERO));

        SandboxConfig defaults = new Up().server.toConfig(home(), Map.of());
        assertThat(defaults.providerTimeouts()).isEqualTo(ProviderTimeouts.DEFAULTS);

        Up tooShort = new Up();
        new CommandLine(tooShort).parseArgs("--debit-note-accept-timeout", "1");
        assertThatThrownBy(() -> tooShort.server.toConfig(home(), Map.of())).isInstanceOf(UserError.class)
                .hasMessageContaining("at least 5 s");
    }
}
