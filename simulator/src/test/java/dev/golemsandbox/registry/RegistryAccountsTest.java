package dev.golemsandbox.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.StandIns;
import dev.golemsandbox.testing.TestImages;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registry accounts as the public registry has them: pushes by hash are anonymous, a tag lives
 * under its owner and only the owner's token pushes it; every refusal says what to do instead.
 */
class RegistryAccountsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private ImageStore store;
    private RegistryUsers users;
    private Javalin server;
    private byte[] image;
    private String sha3;

    @BeforeEach
    void start() throws Exception {
        store = new ImageStore(dir.resolve("images"), StandIns.builtIns());
        users = RegistryUsers.in(store.directory());
        server = Javalin.create(new ImageRegistryApi(store, URI.create("http://sandbox.example"))::addRoutes).start("127.0.0.1", 0);
        Path file = TestImages.withFiles(dir, "app.gvmi", TestImages.VOLUMES_CONFIG, Map.of("/a", "a"));
        image = Files.readAllBytes(file);
        sha3 = dev.golemsandbox.gvmi.Sha3.hex224(file);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<String> push(String query, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/image/push?" + query))
                .POST(HttpRequest.BodyPublishers.ofByteArray(image));
        if (token != null) {
            request.header(RegistryUsers.TOKEN_HEADER, token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String message(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body()).path("message").asText();
    }

    @Test
    void aPushByHashNeedsNoAccount() throws Exception {
        assertThat(push("hash=" + sha3, null).statusCode()).isEqualTo(201);
        assertThat(store.byHash(sha3)).isPresent();
    }

    @Test
    void onlyTheOwnersTokenPushesItsTags() throws Exception {
        String alice = users.add("alice");
        String bob = users.add("bob");

        assertThat(message(push("tag=alice/app:1", null), 401)).isEqualTo("pushing the tag alice/app:1 needs the token of"
                + " the registry user alice (image push --token, header X-Registry-Token); a push by hash without a tag needs none");
        assertThat(message(push("tag=alice/app:1", bob), 403)).isEqualTo("the tag alice/app:1 belongs to the registry user"
                + " alice, not to bob: push under bob/..., or with alice's token");
        assertThat(message(push("tag=alice/app:1", "f".repeat(64)), 403))
                .isEqualTo("the token is not the one of the registry user alice, who owns the tag alice/app:1");
        assertThat(store.list()).as("a refused push stores nothing").isEmpty();

        assertThat(push("tag=alice/app:1", alice).statusCode()).isEqualTo(201);
        assertThat(push("tag=bob/app:1", bob).statusCode()).isEqualTo(201);
        assertThat(store.resolve("alice/app:1").image().sha3()).isEqualTo(sha3);
        assertThat(store.resolve("bob/app:1").image().sha3()).isEqualTo(sha3);
    }

    @Test
    void tagsWithoutAnOwnerOrOfAnUnknownOwnerAreRefusedWithWhatToDo() throws Exception {
        assertThat(message(push("tag=app:1", null), 400)).isEqualTo("the tag app:1 has no owner: tags live under a registry"
                + " user (OWNER/app:1, pushed with OWNER's token), or push by hash without a tag");
        assertThat(message(push("tag=carol/app:1", "x"), 403)).isEqualTo("the tag carol/app:1 belongs to the registry user"
                + " carol, who does not exist here: create it with 'golem-sandbox registry user add carol' (it prints the"
                + " token to push with), or push by hash without a tag");
    }

    @Test
    void tokensAreKeptOnlyAsHashesAndNamesAreChecked() throws Exception {
        String token = users.add("alice");

        assertThat(Files.readString(store.directory().resolve(RegistryUsers.FILE_NAME))).doesNotContain(token).contains("alice");
        assertThat(users.names()).containsExactly("alice");
        assertThatThrownBy(() -> users.add("alice")).hasMessageContaining("exists already");
        assertThatThrownBy(() -> users.add("Not A Name")).hasMessageContaining("cannot own tags");
        assertThat(RegistryUsers.in(store.directory()).add("bob")).isNotEqualTo(token).hasSize(64);
    }
}
