package dev.golemsandbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxConfigTest {

    @TempDir
    Path dir;

    SandboxHome home() {
        return new SandboxHome(dir);
    }

    @Test
    void defaultsAreYagnasPortOnLoopbackWithTheDefaultFleet() {
        SandboxConfig c = SandboxConfig.fromEnvironment(Map.of(), home());

        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(7465);
        assertThat(c.appKey()).isNull();
        assertThat(c.providers()).hasSize(12);
        assertThat(c.debitNoteInterval()).isZero();
        assertThat(c.sessionTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.baseUrl(7465)).isEqualTo("http://127.0.0.1:7465");
    }

    @Test
    void everySettingHasAnEnvironmentVariable() throws Exception {
        Path file = dir.resolve("providers.yaml");
        Files.writeString(file, "providers:\n  - name: a\n  - name: b\n");
        SandboxConfig c = SandboxConfig.fromEnvironment(Map.of(
                "GOLEM_SANDBOX_HOST", "0.0.0.0",
                "GOLEM_SANDBOX_PORT", "8000",
                "GOLEM_SANDBOX_APPKEY", "ci-key-0001",
                "GOLEM_SANDBOX_PUBLIC_URL", "http://sandbox:7465/",
                "GOLEM_SANDBOX_PROVIDERS_FILE", file.toString(),
                "GOLEM_SANDBOX_DEBIT_NOTE_INTERVAL", "5",
                "GOLEM_SANDBOX_SESSION_TIMEOUT", "0"), home());

        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(8000);
        assertThat(c.appKey()).isEqualTo("ci-key-0001");
        assertThat(c.baseUrl(8000)).isEqualTo("http://sandbox:7465");
        assertThat(c.providers()).extracting(p -> p.name()).containsExactly("a", "b");
        assertThat(c.debitNoteInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.sessionTimeout()).isZero();
    }

    @Test
    void aWildcardHostIsShownAsLoopback() {
        assertThat(SandboxConfig.fromEnvironment(Map.of("GOLEM_SANDBOX_HOST", "0.0.0.0"), home()).baseUrl(7465))
                .isEqualTo("http://127.0.0.1:7465");
    }

    @Test
    void badValuesAreOneLineUserErrors() {
        assertThatThrownBy(() -> SandboxConfig.fromEnvironment(Map.of("GOLEM_SANDBOX_PORT", "http"), home()))
                .isInstanceOf(UserError.class).hasMessage("GOLEM_SANDBOX_PORT must be a whole number, got 'http'");
        assertThatThrownBy(() -> SandboxConfig.fromEnvironment(Map.of("GOLEM_SANDBOX_PORT", "70000"), home()))
                .isInstanceOf(UserError.class).hasMessage("port must be 0-65535, got 70000");
        assertThatThrownBy(() -> SandboxConfig.fromEnvironment(Map.of("GOLEM_SANDBOX_DEBIT_NOTE_INTERVAL", "soon"), home()))
                .isInstanceOf(UserError.class).hasMessage("GOLEM_SANDBOX_DEBIT_NOTE_INTERVAL must be a number of seconds (0 or more), got 'soon'");
        assertThatThrownBy(() -> SandboxConfig.fromEnvironment(Map.of("GOLEM_SANDBOX_DEBIT_NOTE_INTERVAL", "0.5"), home()))
                .isInstanceOf(UserError.class).hasMessageContaining("must be 0 (off) or at least 1 second");
        assertThatThrownBy(() -> SandboxConfig.fromEnvironment(Map.of("GOLEM_SANDBOX_PROVIDERS_FILE", dir.resolve("none.yaml").toString()), home()))
                .isInstanceOf(UserError.class).hasMessage("providers file not found: " + dir.resolve("none.yaml"));
        assertThatThrownBy(() -> AppKey.resolve("short", home()))
                .isInstanceOf(UserError.class).hasMessageContaining("must be 8-256 characters");
    }
}
