package dev.golemsandbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's own endpoints, its app key and its lifecycle. */
class SandboxServerTest {

    @TempDir
    Path dataDir;

    SandboxServer.Builder builder(List<VmlessRuntime> runtimes) {
        return SandboxServer.builder(SandboxConfig.defaults(new SandboxHome(dataDir)).withPort(0))
                .runtimes(spec -> {
                    VmlessRuntime runtime = new VmlessRuntime();
                    runtimes.add(runtime);
                    return runtime;
                });
    }

    @Test
    void readyAnswers503UntilEveryConditionHolds() {
        SandboxServer.Builder builder = builder(new ArrayList<>());
        Readiness.Condition guest = builder.readiness().condition("guest-assets");
        Readiness.Condition image = builder.readiness().condition("default-image");
        try (SandboxServer server = builder.start()) {
            SandboxClient anonymous = new SandboxClient(server.baseUrl(), null);
            guest.progress("fetching the kernel");

            SandboxClient.Response notReady = anonymous.get("/_sandbox/ready");
            assertThat(notReady.status()).isEqualTo(503);
            assertThat(notReady.message()).isEqualTo("not ready yet: guest-assets pending (fetching the kernel), default-image pending");
            assertThat(anonymous.get("/_sandbox/health").status()).as("health is always 200").isEqualTo(200);

            guest.ready();
            image.failed("no base image: build one with golem-sandbox image build");
            assertThat(anonymous.get("/_sandbox/ready").message()).isEqualTo(
                    "not ready yet: default-image failed (no base image: build one with golem-sandbox image build)");

            image.ready();
            SandboxClient.Response ready = anonymous.get("/_sandbox/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().get("ready").asBoolean()).isTrue();
            assertThat(ready.json().get("conditions").findValuesAsText("name")).containsExactly("guest-assets", "default-image", "providers");
        }
    }

    @Test
    void healthListsComponentsAndConditions() {
        try (SandboxServer server = builder(new ArrayList<>()).start()) {
            JsonNode health = new SandboxClient(server.baseUrl(), null).get("/_sandbox/health").json();
            assertThat(health.get("status").asText()).isEqualTo("up");
            assertThat(health.get("components").toString()).isEqualTo("{\"identity\":\"up\",\"app-keys\":\"up\",\"market\":\"up\",\"manifest\":\"up\",\"payment\":\"up\",\"dashboard\":\"up\",\"net\":\"up\"}");
            assertThat(health.at("/conditions/0/name").asText()).isEqualTo("providers");
            assertThat(health.at("/conditions/0/state").asText()).isEqualTo("READY");
        }
    }

    @Test
    void infoDescribesTheSandboxButNoUnauthenticatedAnswerHoldsTheAppKey() {
        try (SandboxServer server = builder(new ArrayList<>()).info("accelerator", () -> "tcg").start()) {
            JsonNode info = new SandboxClient(server.baseUrl(), null).get("/_sandbox/info").json();

            assertThat(info.get("accelerator").asText()).isEqualTo("tcg");
            assertThat(info.get("apiUrl").asText()).isEqualTo("http://127.0.0.1:" + server.port());
            SandboxClient anonymous = new SandboxClient(server.baseUrl(), null);
            for (String path : List.of("/_sandbox/info", "/_sandbox/health", "/_sandbox/ready", "/me", "/version/get",
                    "/_sandbox/activities", "/v1/image/info?tag=golem/alpine:latest")) {
                assertThat(anonymous.get(path).body()).as(path).doesNotContain(server.appKey());
            }
            assertThat(info.get("providers").size()).isEqualTo(12);
            assertThat(info.at("/providers/0/name").asText()).isEqualTo("alder");
            assertThat(info.at("/providers/0/nodeId").asText()).matches("0x[0-9a-f]{40}");
            assertThat(info.at("/endpoints/market").asText()).endsWith("/market-api/v1");
            assertThat(info.get("version").asText()).isNotEmpty();
        }
    }

    @Test
    void theAppKeyIsGeneratedOnceAndKeptInTheDataDirectory() throws Exception {
        String first;
        String firstIdentity;
        try (SandboxServer server = builder(new ArrayList<>()).start()) {
            first = server.appKey();
            firstIdentity = server.requestorId();
        }
        assertThat(Files.readString(AppKey.file(new SandboxHome(dataDir))).trim()).isEqualTo(first);
        assertThat(Files.getPosixFilePermissions(AppKey.file(new SandboxHome(dataDir)))).hasSize(2);
        try (SandboxServer again = builder(new ArrayList<>()).start()) {
            assertThat(again.appKey()).isEqualTo(first);
            assertThat(again.requestorId()).as("the identity follows the key").isEqualTo(firstIdentity);
        }
    }

    @Test
    void theAppKeyIsKnownBeforeTheServerStartsForComponentsThatCheckItThemselves() {
        SandboxServer.Builder builder = builder(new ArrayList<>());
        String early = builder.appKey();
        try (SandboxServer server = builder.start()) {
            assertThat(server.appKey()).isEqualTo(early);
        }
    }

    @Test
    void aConfiguredAppKeyWins() {
        try (SandboxServer server = SandboxServer.builder(SandboxConfig.defaults(new SandboxHome(dataDir)).withPort(0).withAppKey("my-ci-key-123"))
                .runtimes(spec -> new VmlessRuntime()).start()) {
            assertThat(server.appKey()).isEqualTo("my-ci-key-123");
            assertThat(new SandboxClient(server.baseUrl(), "my-ci-key-123").get("/me").status()).isEqualTo(200);
        }
    }

    @Test
    void closingTheServerClosesEveryProvidersRuntime() {
        List<VmlessRuntime> runtimes = new ArrayList<>();
        SandboxServer server = builder(runtimes).start();
        assertThat(runtimes).hasSize(12).noneMatch(VmlessRuntime::isClosed);

        server.close();

        assertThat(runtimes).allMatch(VmlessRuntime::isClosed);
    }

    @Test
    void aTakenPortIsAUserErrorWithAHint() {
        try (SandboxServer first = builder(new ArrayList<>()).start()) {
            List<VmlessRuntime> runtimes = new ArrayList<>();
            SandboxServer.Builder second = SandboxServer.builder(SandboxConfig.defaults(new SandboxHome(dataDir)).withPort(first.port()))
                    .runtimes(spec -> {
                        VmlessRuntime runtime = new VmlessRuntime();
                        runtimes.add(runtime);
                        return runtime;
                    });
            assertThatThrownBy(second::start)
                    .isInstanceOf(UserError.class)
                    .hasMessageStartingWith("port " + first.port() + " on 127.0.0.1 is busy: it is held by pid "
                            + ProcessHandle.current().pid() + " (")
                    .satisfies(e -> assertThat(((UserError) e).hint()).contains("--port"));
            assertThat(runtimes).as("nothing is left running").allMatch(VmlessRuntime::isClosed);
        }
    }

    @Test
    void aServerWithoutRuntimesIsAProgrammingError() {
        assertThatThrownBy(() -> SandboxServer.builder(SandboxConfig.defaults(new SandboxHome(dataDir)).withPort(0)).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("runtimes(...)");
    }
}
