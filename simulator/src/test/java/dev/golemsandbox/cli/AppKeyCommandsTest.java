package dev.golemsandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.sandbox.SandboxClient;
import dev.golemsandbox.sandbox.SandboxServer;
import dev.golemsandbox.sandbox.TestSandbox;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code golem-sandbox app-key create / list / drop} against a running sandbox (here one in this
 * JVM, recorded in the data directory as {@code up} records it), with the main key; mistakes are
 * one error line and exit 2.
 */
class AppKeyCommandsTest {

    @TempDir
    Path dataDir;

    SandboxServer server;

    @BeforeEach
    void startSandbox() throws Exception {
        server = TestSandbox.start(dataDir);
        new RunningSandbox(ProcessHandle.current().pid(), server.baseUrl(), server.appKey(), Instant.now()).write(new SandboxHome(dataDir));
    }

    @AfterEach
    void stopSandbox() {
        server.close();
    }

    CliRun cli(String... args) {
        String[] withHome = Arrays.copyOf(args, args.length + 2);
        withHome[args.length] = "--data-dir";
        withHome[args.length + 1] = dataDir.toString();
        return CliRun.of(withHome);
    }

    @Test
    void createListAndDropAsYagnaAppKeyDoes() {
        CliRun created = cli("app-key", "create", "ci");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        String key = created.out().trim();
        assertThat(key).matches("[0-9a-f]{32}");
        CliRun given = cli("app-key", "create", "docs", "--key", "try_golem");
        assertThat(given.out().trim()).isEqualTo("try_golem");

        CliRun list = cli("app-key", "list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out().lines().map(l -> l.split("\\s+")[0])).containsExactly("name", "main", "ci", "docs");
        assertThat(list.out()).contains(key).contains("try_golem").contains(server.requestorId()).contains("manager");
        SandboxClient docs = new SandboxClient(server.baseUrl(), "try_golem");
        assertThat(docs.get("/me").json().get("name").asText()).isEqualTo("docs");

        CliRun dropped = cli("app-key", "drop", "docs");
        assertThat(dropped.exitCode()).as(dropped.toString()).isZero();
        assertThat(docs.get("/me").status()).isEqualTo(401);
        assertThat(cli("app-key", "list").out()).doesNotContain("try_golem");
    }

    @Test
    void aDuplicateNameIsOneErrorLineAndExit2() {
        cli("app-key", "create", "ci");

        CliRun again = cli("app-key", "create", "ci");

        assertThat(again.exitCode()).as(again.toString()).isEqualTo(2);
        assertThat(again.errorLines()).isEqualTo(1);
        assertThat(again.err()).contains("error: an app key named 'ci' already exists").doesNotContain("Exception");
        assertThat(again.out()).isEmpty();
    }

    @Test
    void anUnknownNameIsOneErrorLineAndExit2() {
        CliRun drop = cli("app-key", "drop", "nope");

        assertThat(drop.exitCode()).as(drop.toString()).isEqualTo(2);
        assertThat(drop.errorLines()).isEqualTo(1);
        assertThat(drop.err()).contains("error: there is no app key named 'nope'").doesNotContain("Exception");
    }

    @Test
    void withoutARunningSandboxTheCommandsSaySoWithExit3() throws Exception {
        server.close();
        new RunningSandbox(Long.MAX_VALUE - 1, server.baseUrl(), server.appKey(), Instant.now()).write(new SandboxHome(dataDir));

        CliRun list = cli("app-key", "list");

        assertThat(list.exitCode()).as(list.toString()).isEqualTo(3);
        assertThat(list.errorLines()).isEqualTo(1);
    }
}
