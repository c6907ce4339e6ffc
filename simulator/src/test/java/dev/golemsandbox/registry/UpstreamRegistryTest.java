package dev.golemsandbox.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.golemsandbox.gvmi.Sha3;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.StandIns;
import dev.golemsandbox.store.StoredImage;
import dev.golemsandbox.testing.SharedFixtures;
import dev.golemsandbox.testing.TestImages;
import io.javalin.Javalin;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull-through: a sandbox's registry asks another registry on loopback (the registry of a second
 * sandbox, with its own store) for tags and hashes it does not hold, keeps what it gets, and
 * explains what it could not get.
 */
class UpstreamRegistryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Javalin> servers = new ArrayList<>();
    private ImageStore upstreamStore;
    private String upstreamUrl;

    @BeforeEach
    void startUpstream() {
        upstreamStore = new ImageStore(dir.resolve("upstream-images"), StandIns.builtIns());
        Javalin upstream = serve(new ImageRegistryApi(upstreamStore, URI.create("http://upstream.example")));
        upstreamUrl = "http://127.0.0.1:" + upstream.port();
    }

    @AfterEach
    void stop() {
        servers.forEach(Javalin::stop);
    }

    private Javalin serve(ImageRegistryApi registry) {
        Javalin server = Javalin.create(registry::addRoutes).start("127.0.0.1", 0);
        servers.add(server);
        return server;
    }

    /** A sandbox registry whose upstream is {@code upstream} (null: none); returns its base URL. */
    private String sandbox(ImageStore store, String upstream) {
        UpstreamRegistry pullThrough = UpstreamRegistry.of(upstream, store, ImageRegistryApi.DEFAULT_MAX_PUSH_BYTES);
        Javalin server = serve(new ImageRegistryApi(store, () -> URI.create("http://sandbox.example"),
                ImageRegistryApi.DEFAULT_MAX_PUSH_BYTES, pullThrough));
        return "http://127.0.0.1:" + server.port();
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> response, int status) throws Exception {
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    @Test
    void unknownTagsAndHashesArePulledVerifiedAndKept() throws Exception {
        Path fixture = SharedFixtures.alpineGvmi();
        upstreamStore.tag("me/alpine:1", upstreamStore.put(fixture, null).sha3());
        Path other = TestImages.withFiles(dir, "other.gvmi", TestImages.VOLUMES_CONFIG, Map.of("/opt/x.txt", "x"));
        String otherHash = upstreamStore.put(other, null).sha3();
        ImageStore local = new ImageStore(dir.resolve("images"), StandIns.builtIns());
        String sandbox = sandbox(local, upstreamUrl);

        JsonNode info = json(get(sandbox + "/v1/image/info?count=true&tag=me/alpine:1"), 200);

        assertThat(info.path("sha3").asText()).isEqualTo(SharedFixtures.ALPINE_SHA3);
        assertThat(info.path("http").asText()).isEqualTo("http://sandbox.example/download/" + SharedFixtures.ALPINE_SHA3);
        StoredImage pulled = local.tagged("me/alpine:1").orElseThrow();
        assertThat(pulled.origin()).isEqualTo("pulled from " + upstreamUrl);
        assertThat(Files.mismatch(pulled.file(), fixture)).isEqualTo(-1L);

        HttpResponse<byte[]> byHash = get(sandbox + "/download/" + otherHash);

        assertThat(byHash.statusCode()).isEqualTo(200);
        assertThat(byHash.body()).isEqualTo(Files.readAllBytes(other));
        assertThat(local.byHash(otherHash).orElseThrow().origin()).isEqualTo("pulled from " + upstreamUrl);
        assertThat(local.byHash(otherHash).orElseThrow().tags()).isEmpty();
    }

    @Test
    void anImageNowhereGetsA404ThatSaysHowToMakeItAvailable() throws Exception {
        String sandbox = sandbox(new ImageStore(dir.resolve("images"), StandIns.builtIns()), upstreamUrl);

        String message = json(get(sandbox + "/v1/image/info?count=true&tag=nobody/nothing:1"), 404).path("message").asText();

        assertThat(message).startsWith("no image tagged nobody/nothing:1 in the local store, and no stand-in answers it;"
                + " the upstream registry " + upstreamUrl + " has no such image either. To make it available:");
        assertThat(message).contains("golem-sandbox image push -t nobody/nothing:1 FILE",
                "golem-sandbox image build -t nobody/nothing:1 DIR", "golem-sandbox image convert SOURCE -t nobody/nothing:1",
                "stand-ins.json", "GOLEM_SANDBOX_STAND_INS", "--upstream-registry URL");

        String hash = "ab".repeat(28);
        String byHash = json(get(sandbox + "/v1/image/info?count=true&hash=" + hash), 404).path("message").asText();
        assertThat(byHash).startsWith("no image with hash " + hash + " in the local store")
                .contains("golem-sandbox image push FILE");
    }

    @Test
    void withoutAnUpstreamThe404SaysSo() throws Exception {
        String sandbox = sandbox(new ImageStore(dir.resolve("images"), StandIns.builtIns()), "none");

        String message = json(get(sandbox + "/v1/image/download?tag=me/app:2"), 404).path("message").asText();

        assertThat(message).contains("no image tagged me/app:2 in the local store",
                "no upstream registry is configured (--upstream-registry none)");
    }

    @Test
    void anUpstreamThatServesOtherBytesThanItPromisedIsRefused() throws Exception {
        String promised = "cd".repeat(28);
        Javalin liar = Javalin.create(config -> {
            config.routes.get("/v1/image/info", ctx -> ctx.json(Map.of("sha3", promised, "http", "http://elsewhere.example/x")));
            config.routes.get("/v1/image/download", ctx -> ctx.result("not the promised image"));
        }).start("127.0.0.1", 0);
        servers.add(liar);
        ImageStore local = new ImageStore(dir.resolve("images"), StandIns.builtIns());
        String liarUrl = "http://127.0.0.1:" + liar.port();
        String sandbox = sandbox(local, liarUrl);

        String message = json(get(sandbox + "/v1/image/info?tag=me/lie:1"), 404).path("message").asText();

        String actual = Sha3.hex("SHA3-224", new java.io.ByteArrayInputStream("not the promised image".getBytes()));
        assertThat(message).contains("the upstream registry " + liarUrl + " promised image " + promised
                + " but served a file whose SHA3-224 is " + actual + "; it was not kept");
        assertThat(local.list()).isEmpty();
        try (Stream<Path> incoming = Files.list(dir.resolve("images/incoming"))) {
            assertThat(incoming.toList()).isEmpty();
        }
    }

    @Test
    void anUnreachableUpstreamFailsAtOnceAndIsNotAskedAgainForAWhile() throws Exception {
        // A port bound without listening refuses connections, and nobody else can take it meanwhile.
        try (Socket closedPort = new Socket()) {
            closedPort.setReuseAddress(false);
            closedPort.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String nowhere = "http://127.0.0.1:" + closedPort.getLocalPort();
            String sandbox = sandbox(new ImageStore(dir.resolve("images"), StandIns.builtIns()), nowhere);

            String first = json(get(sandbox + "/v1/image/info?tag=me/app:3"), 404).path("message").asText();
            String second = json(get(sandbox + "/v1/image/info?tag=me/app:4"), 404).path("message").asText();

            assertThat(first).contains("the upstream registry " + nowhere + " cannot be reached (",
                    "it is not asked again for 60 s");
            assertThat(second).contains("no image tagged me/app:4", "the upstream registry " + nowhere + " cannot be reached");
        }
    }
}
