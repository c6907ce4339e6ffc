package dev.golemsandbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several app keys on one sandbox over HTTP: each works for the yagna APIs and /_sandbox, /me names
 * the key it was called with, only the main key manages keys, and a dropped key gets 401 at once.
 */
class AppKeysApiTest {

    @TempDir
    Path dataDir;

    @Test
    void twoKeysBothWorkAndMeNamesEach() {
        try (SandboxServer server = TestSandbox.start(dataDir, c -> c.withExtraAppKeys(List.of("try_golem")))) {
            SandboxClient main = TestSandbox.client(server);
            SandboxClient tryGolem = main.withAppKey("try_golem");

            JsonNode meMain = main.get("/me").json();
            JsonNode meTry = tryGolem.get("/me").json();
            assertThat(meMain.get("name").asText()).isEqualTo("main");
            assertThat(meTry.get("name").asText()).isEqualTo("app-key-2");
            assertThat(meTry.get("identity").asText()).as("every key is the one requestor identity")
                    .isEqualTo(meMain.get("identity").asText()).isEqualTo(server.requestorId());
            assertThat(meTry.get("role").asText()).isEqualTo("manager");
            for (String path : List.of("/market-api/v1/agreements", "/payment-api/v1/invoices", "/_sandbox/market/demands",
                    "/_sandbox/market/providers", "/_sandbox/market/scans")) {
                assertThat(tryGolem.get(path).status()).as(path).isEqualTo(200);
            }
            String demand = tryGolem.post("/market-api/v1/demands", Map.of("properties", Map.of(),
                    "constraints", "(golem.runtime.name=vm)")).json().asText();
            assertThat(main.get("/market-api/v1/demands/" + demand + "/events?timeout=0").status())
                    .as("a demand made with one key is the same requestor's for the other").isEqualTo(200);
        }
    }

    @Test
    void aCreatedKeyWorksUntilItIsDroppedThenGets401() {
        try (SandboxServer server = TestSandbox.start(dataDir)) {
            SandboxClient main = TestSandbox.client(server);

            SandboxClient.Response created = main.post("/_sandbox/app-keys", Map.of("name", "ci"));
            assertThat(created.status()).isEqualTo(201);
            String key = created.json().get("key").asText();
            SandboxClient ci = main.withAppKey(key);
            assertThat(ci.get("/me").json().get("name").asText()).isEqualTo("ci");
            assertThat(main.get("/_sandbox/app-keys").json().findValuesAsText("name")).containsExactly("main", "ci");

            assertThat(main.delete("/_sandbox/app-keys/ci").status()).isEqualTo(204);

            SandboxClient.Response refused = ci.get("/me");
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.message()).startsWith("invalid app key");
            assertThat(ci.get("/_sandbox/market/providers").status()).isEqualTo(401);
            assertThat(main.get("/me").status()).isEqualTo(200);
        }
    }

    @Test
    void onlyTheMainKeyManagesKeysAndMistakesAreYagnaErrors() {
        try (SandboxServer server = TestSandbox.start(dataDir, c -> c.withExtraAppKeys(List.of("try_golem")))) {
            SandboxClient main = TestSandbox.client(server);
            SandboxClient other = main.withAppKey("try_golem");

            assertThat(other.get("/_sandbox/app-keys").status()).isEqualTo(403);
            assertThat(other.post("/_sandbox/app-keys", Map.of("name", "mine")).status()).isEqualTo(403);
            assertThat(other.delete("/_sandbox/app-keys/app-key-2").status()).isEqualTo(403);
            assertThat(main.withAppKey(null).get("/_sandbox/app-keys").status()).isEqualTo(401);

            main.post("/_sandbox/app-keys", Map.of("name", "docs", "key", "docs-key-1"));
            SandboxClient.Response duplicate = main.post("/_sandbox/app-keys", Map.of("name", "docs"));
            assertThat(duplicate.status()).isEqualTo(409);
            assertThat(duplicate.message()).isEqualTo("an app key named 'docs' already exists");
            assertThat(main.delete("/_sandbox/app-keys/nope").status()).isEqualTo(404);
            assertThat(main.delete("/_sandbox/app-keys/main").status()).isEqualTo(409);
            assertThat(main.post("/_sandbox/app-keys", Map.of("name", "x", "key", "short")).status()).isEqualTo(400);
            assertThat(main.post("/_sandbox/app-keys", Map.of("key", "no-name-key")).status()).isEqualTo(400);
        }
    }

    @Test
    void createdKeysSurviveARestartOfTheSandbox() {
        String key;
        try (SandboxServer server = TestSandbox.start(dataDir)) {
            key = TestSandbox.client(server).post("/_sandbox/app-keys", Map.of("name", "kept")).json().get("key").asText();
        }
        try (SandboxServer again = TestSandbox.start(dataDir)) {
            assertThat(TestSandbox.client(again).withAppKey(key).get("/me").json().get("name").asText()).isEqualTo("kept");
        }
    }
}
