package dev.golemsandbox.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.StandIns;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry API on a real Javalin server, driven with java.net.http like a requestor or provider would. */
class ImageRegistryApiTest {

    private static final URI PUBLIC_URL = URI.create("http://sandbox.example:7465");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ImageStore store;
    private Javalin server;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();
    private Path image;
    private byte[] imageBytes;
    private String sha3;
    private String token;

    @BeforeEach
    void start() throws Exception {
        store = new ImageStore(dir.resolve("images"), StandIns.builtIns());
        ImageRegistryApi registry = new ImageRegistryApi(store, PUBLIC_URL);
        server = Javalin.create(registry::addRoutes).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
        image = TestImages.withFiles(dir, "app.gvmi", TestImages.VOLUMES_CONFIG, Map.of("/opt/app.txt", "app"));
        imageBytes = Files.readAllBytes(image);
        sha3 = dev.golemsandbox.gvmi.Sha3.hex224(image);
        token = RegistryUsers.in(store.directory()).add("me");
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void pushThenInfoByTagAndHash() throws Exception {
        HttpResponse<String> push = post("/v1/image/push?tag=me/app:1&hash=" + sha3, imageBytes);
        assertThat(push.statusCode()).isEqualTo(201);
        JsonNode pushed = JSON.readTree(push.body());
        assertThat(pushed.path("sha3").asText()).isEqualTo(sha3);
        assertThat(pushed.path("tag").asText()).isEqualTo("me/app:1");

        JsonNode byTag = json(get("/v1/image/info?count=true&tag=me/app:1"), 200);
        assertThat(byTag.path("sha3").asText()).isEqualTo(sha3);
        assertThat(byTag.path("size").asLong()).isEqualTo(imageBytes.length);
        assertThat(byTag.path("tag").asText()).isEqualTo("me/app:1");
        assertThat(byTag.path("http").asText()).isEqualTo(PUBLIC_URL + "/download/" + sha3);
        assertThat(byTag.path("https").asText()).isEqualTo(PUBLIC_URL + "/download/" + sha3);
        assertThat(byTag.has("standIn")).isFalse();

        JsonNode byHash = json(get("/v1/image/info?dev=true&hash=" + sha3.toUpperCase()), 200);
        assertThat(byHash.path("sha3").asText()).isEqualTo(sha3);
        assertThat(byHash.path("tag").asText()).isEqualTo("me/app:1");
        assertThat(byHash.path("tags")).hasSize(1);
        assertThat(store.resolve("me/app:1").image().sha3()).isEqualTo(sha3);
    }

    @Test
    void anonymousPushIsReachableByHashOnly() throws Exception {
        assertThat(post("/v1/image/push", imageBytes).statusCode()).isEqualTo(201);
        JsonNode info = json(get("/v1/image/info?hash=" + sha3), 200);
        assertThat(info.path("tag").isNull()).isTrue();
        assertThat(info.path("tags")).isEmpty();
    }

    @Test
    void pushesThatAreWrongStoreNothing() throws Exception {
        String wrong = "12".repeat(28);
        assertMessage(post("/v1/image/push?hash=" + wrong, imageBytes), 400,
                "hash mismatch: expected SHA3-224 " + wrong + " but the image has " + sha3);
        assertMessage(post("/v1/image/push", "not an image at all".getBytes()), 400,
                "the uploaded file: not a GVMI image: it does not start with a squashfs superblock (hsqs)");
        assertMessage(post("/v1/image/push?tag=Bad%20Tag", imageBytes), 400,
                "'Bad Tag' is not an image tag: use repository:tag with a lower-case repository such as golem/alpine:latest");
        assertMessage(post("/v1/image/push?hash=xyz", imageBytes), 400, "'xyz' is not a SHA3-224 image hash (56 hex digits)");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void unknownImagesAre404AndBadParameters400() throws Exception {
        String howTo = ", and no stand-in answers it; no upstream registry is configured (--upstream-registry none). To make it available: ";
        assertMessageStart(get("/v1/image/info?count=true&tag=me/missing:1"), 404, "no image tagged me/missing:1 in the local store" + howTo);
        String nowhere = "0".repeat(56);
        assertMessageStart(get("/v1/image/info?hash=" + nowhere), 404, "no image with hash " + nowhere + " in the local store" + howTo);
        assertMessageStart(get("/download/" + nowhere), 404, "no image with hash " + nowhere + " in the local store" + howTo);
        assertMessageStart(get("/v1/image/download?tag=me/missing:1"), 404, "no image tagged me/missing:1 in the local store" + howTo);
        String exactlyOne = "give exactly one of the query parameters tag (repo:tag) or hash (SHA3-224)";
        assertMessage(get("/v1/image/info"), 400, exactlyOne);
        assertMessage(get("/v1/image/info?tag=a/b:1&hash=" + nowhere), 400, exactlyOne);
        assertMessage(get("/v1/image/info?hash=abc"), 400, "'abc' is not a SHA3-224 image hash (56 hex digits)");
        assertMessage(get("/download/not-a-hash"), 400, "'not-a-hash' is not a SHA3-224 image hash (56 hex digits)");
        assertMessage(get("/v1/image/info?tag=UPPER/case"), 400,
                "'UPPER/case' is not an image tag: use repository:tag with a lower-case repository such as golem/alpine:latest");
    }

    @Test
    void downloadsWholeFilesAndSingleRanges() throws Exception {
        post("/v1/image/push?tag=me/app:1", imageBytes);
        long size = imageBytes.length;

        HttpResponse<byte[]> whole = download("/download/" + sha3, null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(imageBytes);
        assertThat(whole.headers().firstValue("Content-Length")).contains(Long.toString(size));
        assertThat(whole.headers().firstValue("Accept-Ranges")).contains("bytes");

        assertThat(download("/v1/image/download?tag=me/app:1", null).body()).isEqualTo(imageBytes);
        assertThat(download("/v1/image/download?hash=" + sha3, null).body()).isEqualTo(imageBytes);

        HttpResponse<byte[]> middle = download("/download/" + sha3, "bytes=10-19");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(imageBytes, 10, 20));
        assertThat(middle.headers().firstValue("Content-Range")).contains("bytes 10-19/" + size);

        HttpResponse<byte[]> suffix = download("/download/" + sha3, "bytes=-5");
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(imageBytes, (int) size - 5, (int) size));
        HttpResponse<byte[]> tail = download("/download/" + sha3, "bytes=100-");
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(imageBytes, 100, (int) size));
        HttpResponse<byte[]> clamped = download("/download/" + sha3, "bytes=0-" + (size + 1000));
        assertThat(clamped.statusCode()).isEqualTo(206);
        assertThat(clamped.body()).isEqualTo(imageBytes);

        HttpResponse<byte[]> pastEnd = download("/download/" + sha3, "bytes=" + size + "-");
        assertThat(pastEnd.statusCode()).isEqualTo(416);
        assertThat(pastEnd.headers().firstValue("Content-Range")).contains("bytes */" + size);
        assertThat(JSON.readTree(pastEnd.body()).path("message").asText())
                .isEqualTo("the range 'bytes=" + size + "-' cannot be served from a " + size + "-byte image");
        assertThat(download("/download/" + sha3, "bytes=9-3").statusCode()).isEqualTo(416);
        assertThat(download("/download/" + sha3, "pages=1-2").statusCode()).isEqualTo(416);

        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(base + "/download/" + sha3))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).contains(Long.toString(size));
    }

    @Test
    void publicTagIsAnsweredByTheDefaultImageAndSaysItIsAStandIn() throws Exception {
        JsonNode info = json(get("/v1/image/info?count=true&tag=golem/alpine:latest"), 200);

        String defaultSha3 = store.resolve(ImageStore.DEFAULT_IMAGE_TAG).image().sha3();
        assertThat(info.path("sha3").asText()).isEqualTo(defaultSha3);
        assertThat(info.path("tag").asText()).isEqualTo("golem/alpine:latest");
        assertThat(info.path("http").asText()).isEqualTo(PUBLIC_URL + "/download/" + defaultSha3);
        JsonNode standIn = info.path("standIn");
        assertThat(standIn.path("for").asText()).isEqualTo("golem/alpine:latest");
        assertThat(standIn.path("image").asText()).isEqualTo(ImageStore.DEFAULT_IMAGE_TAG);
        assertThat(standIn.path("source").asText()).isEqualTo("built-in");
        assertThat(standIn.path("imageSha3").asText()).isEqualTo(defaultSha3);
        assertThat(standIn.path("holds").asText()).startsWith("busybox (a shell and the usual tools");
        assertThat(standIn.path("note").asText()).contains("does not have", "stands in");
        assertThat(download("/download/" + defaultSha3, null).body())
                .isEqualTo(Files.readAllBytes(store.resolve(defaultSha3).image().file()));
    }

    @Test
    void aPublicImageHashWithAStandInAnswersWithThatHashAndServesTheStandIn() throws Exception {
        String publicHash = "5".repeat(56);
        SandboxHome home = new SandboxHome(dir.resolve("home"));
        ImageStore mapped = new ImageStore(dir.resolve("mapped"),
                StandIns.load(home, Map.of(StandIns.ENV, publicHash + "=me/app:1")));
        mapped.tag("me/app:1", mapped.put(image, null).sha3());
        server.stop();
        server = Javalin.create(new ImageRegistryApi(mapped, PUBLIC_URL)::addRoutes).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();

        JsonNode info = json(get("/v1/image/info?count=true&hash=" + publicHash), 200);

        assertThat(info.path("sha3").asText()).as("the task package names what was asked for").isEqualTo(publicHash);
        assertThat(info.path("http").asText()).isEqualTo(PUBLIC_URL + "/download/" + publicHash);
        assertThat(info.path("standIn").path("for").asText()).isEqualTo(publicHash);
        assertThat(info.path("standIn").path("imageSha3").asText()).isEqualTo(sha3);
        assertThat(download("/download/" + publicHash, null).body()).isEqualTo(imageBytes);
    }

    @Test
    void aPushLargerThanTheLimitIsRefusedBeforeAndWhileItStreamsAndStoresNothing() throws Exception {
        server.stop();
        long limit = imageBytes.length - 1;
        server = Javalin.create(new ImageRegistryApi(store, () -> PUBLIC_URL, limit)::addRoutes).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();

        assertMessage(post("/v1/image/push?tag=me/big:1", imageBytes), 413,
                "the upload is " + imageBytes.length + " bytes, more than the " + limit
                        + " bytes this registry accepts (set GOLEM_SANDBOX_MAX_PUSH_BYTES to allow more)");
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/image/push?tag=me/big:1"))
                .header(RegistryUsers.TOKEN_HEADER, token)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(imageBytes))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).as("an upload without a length is cut at the limit").isEqualTo(413);
        assertThat(store.list()).isEmpty();
        try (var leftovers = Files.walk(dir.resolve("images"))) {
            assertThat(leftovers.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".part"))).isEmpty();
        }
    }

    @Test
    void aPushCannotRepointAStandInOrTheDefaultImage() throws Exception {
        assertMessage(post("/v1/image/push?tag=golem/alpine:latest", imageBytes), 409,
                "golem/alpine:latest is a public image the sandbox answers with a stand-in; a push cannot re-point it."
                        + " Push under a name of your own, or map the tag in stand-ins.json");
        assertMessage(post("/v1/image/push?tag=" + ImageStore.DEFAULT_IMAGE_TAG, imageBytes), 409,
                ImageStore.DEFAULT_IMAGE_TAG + " is the sandbox's default image and cannot be replaced by a push;"
                        + " push under a name of your own, e.g. me/app:1");
        assertThat(store.list()).isEmpty();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> download(String path, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (range != null) {
            request.header("Range", range);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A push with the token of the registry user "me", who owns the tags me/... of these tests. */
    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/octet-stream")
                .header(RegistryUsers.TOKEN_HEADER, token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    private static void assertMessageStart(HttpResponse<String> response, int status, String start) throws Exception {
        assertThat(json(response, status).path("message").asText()).startsWith(start);
    }

    private static void assertMessage(HttpResponse<String> response, int status, String message) throws Exception {
        assertThat(json(response, status).path("message").asText()).isEqualTo(message);
    }
}
