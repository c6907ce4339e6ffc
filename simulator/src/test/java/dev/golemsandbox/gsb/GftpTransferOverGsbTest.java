package dev.golemsandbox.gsb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.testing.ActivityHarness;
import dev.golemsandbox.testing.Await;
import dev.golemsandbox.testing.Http;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gftp over GSB, the way golem-js transfers files by default: the requestor binds a GSB service
 * per file and answers the provider over a real WebSocket ({@code gsb+flexbuffers}); the
 * provider's transfer command fetches or sends the file through it, into or out of the volume of
 * an activity on a fake VM runtime. The requestor side is {@link ScriptedGolemJsStorage}, a Java
 * imitation of golem-js's storage provider.
 *
 * <p>This is not golem-js: the real library's transfers are exercised by the npm examples in
 * {@code requestor-examples/js} ({@code files.mjs}, run by {@code .ci/test}).
 */
class GftpTransferOverGsbTest {

    private static final String APP_KEY = "test-app-key";
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private ActivityHarness sandbox;
    private ScriptedGolemJsStorage storage;
    private Http http;

    @BeforeEach
    void start() throws IOException {
        GsbServices services = new GsbServices();
        GsbApi gsb = new GsbApi(services, APP_KEY::equals);
        // 5 s for the requestor's socket: theSocketMayConnectAfterTheExec connects only once the batch runs.
        GftpOverGsb gftp = new GftpOverGsb(services, Duration.ofSeconds(5), Duration.ofSeconds(30), MIB, 4);
        sandbox = new ActivityHarness(dir.resolve("sandbox"), gftp, Duration.ofSeconds(15), gsb::addRoutes);
        http = sandbox.http;
        storage = new ScriptedGolemJsStorage(http, sandbox.server.uri("/"), APP_KEY);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private Path randomFile(String name, long bytes) throws IOException {
        Path file = dir.resolve(name);
        Random random = new Random(bytes);
        byte[] block = new byte[MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(left, block.length));
            }
        }
        return file;
    }

    private static String transfer(String from, String to) {
        return "{\"transfer\":{\"from\":\"" + from + "\",\"to\":\"" + to + "\"}}";
    }

    private Path inVolume(String containerPath) throws Exception {
        return sandbox.runtime.units().get(0).hostPathOf(containerPath);
    }

    @Test
    void bindAnswersTheServiceIdAndUnbindRemovesIt() {
        Http.Response bound = http.post("/gsb-api/v1/services",
                "{\"listen\":{\"on\":\"/public/gftp/abc\",\"components\":[\"GetMetadata\",\"GetChunk\"]}}");

        assertThat(bound.status()).isEqualTo(201);
        JsonNode body = bound.json();
        assertThat(body.get("listen").toString())
                .isEqualTo("{\"on\":\"/public/gftp/abc\",\"components\":[\"GetMetadata\",\"GetChunk\"]}");
        String id = body.get("servicesId").asText();
        assertThat(id).matches("[0-9a-f]{32}");

        Http.Response again = http.post("/gsb-api/v1/services",
                "{\"listen\":{\"on\":\"/public/gftp/abc\",\"components\":[\"GetChunk\"]}}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.message()).isEqualTo("a GSB service is already bound at /public/gftp/abc (id " + id
                + "); unbind it first");

        Http.Response unbound = http.delete("/gsb-api/v1/services/" + id);
        assertThat(unbound.status()).isEqualTo(204);
        assertThat(unbound.text()).isEmpty();
        Http.Response gone = http.delete("/gsb-api/v1/services/" + id);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.message()).isEqualTo("GSB service " + id + " not found");
    }

    @Test
    void bindRefusesMalformedRequests() {
        Http.Response noListen = http.post("/gsb-api/v1/services", "{}");
        assertThat(noListen.status()).isEqualTo(400);
        assertThat(noListen.message()).startsWith("the body must be {\"listen\":");

        Http.Response badAddress = http.post("/gsb-api/v1/services", "{\"listen\":{\"on\":\"gftp\",\"components\":[]}}");
        assertThat(badAddress.message()).isEqualTo("listen.on must be a GSB address such as \"/public/gftp/<id>\"");

        Http.Response unknownComponent = http.post("/gsb-api/v1/services",
                "{\"listen\":{\"on\":\"/public/x\",\"components\":[\"Ping\"]}}");
        assertThat(unknownComponent.status()).isEqualTo(400);
        assertThat(unknownComponent.message()).isEqualTo("listen.components has \"Ping\"; the sandbox's providers call"
                + " only the gftp components [GetMetadata, GetChunk, UploadChunk, UploadFinished]");

        Http.Response notJson = http.post("/gsb-api/v1/services", "listen");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.message()).startsWith("the body is not valid JSON");
    }

    @Test
    void theSocketNeedsTheSubprotocolEchoedAValidKeyAndABoundService() throws Exception {
        Path file = randomFile("small", 10);
        ScriptedGolemJsStorage.Service service = storage.publish(file);

        assertThatThrownBy(() -> service.connect("wrong-key"))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));

        assertThat(service.connect()).isEqualTo("gsb+flexbuffers");

        service.unbind();
        assertThatThrownBy(service::connect)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(404));
    }

    @Test
    void uploadAndDownloadA50MegabyteFileInChunks() throws Exception {
        Path original = randomFile("original.bin", 50L * MIB + 12345);
        String id = sandbox.ready();
        ScriptedGolemJsStorage.Service upload = storage.publish(original);
        upload.connect();
        Path received = dir.resolve("received.bin");
        ScriptedGolemJsStorage.Service download = storage.receive(received);
        download.connect();

        JsonNode results = sandbox.run(id, "[" + transfer(upload.url(), "container:/golem/input/big.bin") + ","
                + transfer("container:/golem/input/big.bin", download.url()) + "]");

        assertThat(results.get(0).get("result").asText()).as(results.toString()).isEqualTo("Ok");
        assertThat(results.get(1).get("result").asText()).as(results.toString()).isEqualTo("Ok");
        String expected = ScriptedGolemJsStorage.sha3_256(original);
        assertThat(ScriptedGolemJsStorage.sha3_256(inVolume("/golem/input/big.bin"))).isEqualTo(expected);
        assertThat(download.finishedHash).as("UploadFinished came before the result, with the right hash")
                .isCompletedWithValue(expected);
        assertThat(ScriptedGolemJsStorage.sha3_256(received)).isEqualTo(expected);
        assertThat(upload.requests).first().isEqualTo("GetMetadata");
        assertThat(upload.requests).filteredOn("GetChunk"::equals).hasSize(51);
        assertThat(download.requests).filteredOn("UploadChunk"::equals).hasSize(51);
        assertThat(download.requests).last().isEqualTo("UploadFinished");
    }

    @Test
    void aFileLargerThanTheSpaceLeftInTheVolumesIsRefusedBeforeAnyChunk() throws Exception {
        Path original = randomFile("original.bin", 3L * MIB);
        sandbox.runtime.volumeBytesLeft(MIB);
        String id = sandbox.ready();
        ScriptedGolemJsStorage.Service upload = storage.publish(original);
        upload.connect();

        JsonNode result = sandbox.run(id, "[" + transfer(upload.url(), "container:/golem/input/big.bin") + "]").get(0);

        assertThat(result.get("result").asText()).as(result.toString()).isEqualTo("Error");
        assertThat(result.get("message").asText()).contains("no space left on device");
        assertThat(upload.requests).doesNotContain("GetChunk");
        try (var files = Files.list(inVolume("/golem/input"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void theSocketMayConnectAfterTheExec() throws Exception {
        Path original = randomFile("late.bin", 3L * MIB);
        String id = sandbox.ready();
        ScriptedGolemJsStorage.Service upload = storage.publish(original);

        String batch = sandbox.exec(id, "[" + transfer(upload.url(), "/golem/input/late.bin") + "]");
        sandbox.awaitState(id, "[\"Ready\",\"Ready\"]");
        upload.connect();

        JsonNode results = sandbox.finished(id, batch);
        assertThat(results.get(0).get("result").asText()).as(results.toString()).isEqualTo("Ok");
        assertThat(ScriptedGolemJsStorage.sha3_256(inVolume("/golem/input/late.bin")))
                .isEqualTo(ScriptedGolemJsStorage.sha3_256(original));
    }

    @Test
    void chunkRepliesShorterOrLongerThanAskedStillMakeTheExactFile() throws Exception {
        Path original = randomFile("odd.bin", 2L * MIB + 7);
        String id = sandbox.ready();
        ScriptedGolemJsStorage.Service stingy = storage.publish(original, asked -> Math.max(1, asked / 3));
        stingy.connect();
        ScriptedGolemJsStorage.Service generous = storage.publish(original, asked -> asked * 2);
        generous.connect();

        JsonNode results = sandbox.run(id, "[" + transfer(stingy.url(), "/golem/input/stingy") + ","
                + transfer(generous.url(), "/golem/input/generous") + "]");

        assertThat(results.size()).as(results.toString()).isEqualTo(2);
        assertThat(results.get(1).get("result").asText()).as(results.toString()).isEqualTo("Ok");
        String expected = ScriptedGolemJsStorage.sha3_256(original);
        assertThat(ScriptedGolemJsStorage.sha3_256(inVolume("/golem/input/stingy"))).isEqualTo(expected);
        assertThat(ScriptedGolemJsStorage.sha3_256(inVolume("/golem/input/generous"))).isEqualTo(expected);
        assertThat(stingy.requests.size()).as("the rest of each short chunk is asked for again").isGreaterThan(4);
    }

    @Test
    void filesBeyondWhatGolemJsCanAddressAreRefusedUpFront() throws Exception {
        String id = sandbox.ready();
        Path huge = dir.resolve("huge");
        try (RandomAccessFile sparse = new RandomAccessFile(huge.toFile(), "rw")) {
            sparse.setLength(GftpOverGsb.MAX_FILE_BYTES + 1);
        }
        ScriptedGolemJsStorage.Service upload = storage.publish(huge);
        upload.connect();

        JsonNode fetch = sandbox.run(id, "[" + transfer(upload.url(), "/golem/input/huge") + "]").get(0);

        assertThat(fetch.get("message").asText()).isEqualTo("transfer failed: " + upload.url() + ": the file has"
                + " 2147483648 bytes, but gftp to golem-js carries at most 2147483647 (2 GiB); split it, or use a"
                + " loopback http:// transfer");
        assertThat(upload.requests).containsExactly("GetMetadata");

        try (RandomAccessFile sparse = new RandomAccessFile(inVolume("/golem/output").resolve("huge").toFile(), "rw")) {
            sparse.setLength(GftpOverGsb.MAX_FILE_BYTES + 1);
        }
        ScriptedGolemJsStorage.Service download = storage.receive(dir.resolve("never"));
        download.connect();
        JsonNode send = sandbox.run(id, "[" + transfer("/golem/output/huge", download.url()) + "]").get(0);
        assertThat(send.get("message").asText()).startsWith("transfer failed: " + download.url() + ": the file has"
                + " 2147483648 bytes");
        assertThat(download.requests).isEmpty();
    }

    @Test
    void anEmptyFileTravelsBothWays() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty"));
        String id = sandbox.ready();
        ScriptedGolemJsStorage.Service upload = storage.publish(empty);
        upload.connect();
        Path received = dir.resolve("empty-back");
        ScriptedGolemJsStorage.Service download = storage.receive(received);
        download.connect();

        JsonNode results = sandbox.run(id, "[" + transfer(upload.url(), "/golem/input/empty") + ","
                + transfer("/golem/input/empty", download.url()) + "]");

        assertThat(results.get(1).get("result").asText()).as(results.toString()).isEqualTo("Ok");
        assertThat(inVolume("/golem/input/empty")).isEmptyFile();
        assertThat(download.finishedHash.get(30, TimeUnit.SECONDS)).isEqualTo(ScriptedGolemJsStorage.sha3_256(empty));
    }

    @Test
    void aSocketThatNeverConnectsFailsTheTransferClearly() throws Exception {
        String id = sandbox.ready();
        ScriptedGolemJsStorage.Service upload = storage.publish(randomFile("never", 10));

        JsonNode result = sandbox.run(id, "[" + transfer(upload.url(), "/golem/input/never") + "]").get(0);

        assertThat(result.get("result").asText()).isEqualTo("Error");
        assertThat(result.get("message").asText()).isEqualTo("transfer failed: the requestor bound /public/gftp/"
                + upload.uuid + " but did not open its WebSocket (/gsb-api/v1/services/" + upload.servicesId
                + ") within 5 s");
        assertThat(inVolume("/golem/input")).isEmptyDirectory();
    }

    @Test
    void transfersExplainMissingServicesAndRequestorErrors() throws Exception {
        String id = sandbox.ready();

        JsonNode unbound = sandbox.run(id, "[" + transfer("gftp://0xabc/nobody", "/golem/input/x") + "]").get(0);
        assertThat(unbound.get("message").asText()).isEqualTo("transfer failed: no requestor service is bound at"
                + " /public/gftp/nobody for gftp://0xabc/nobody (bind it with POST /gsb-api/v1/services before the exec)");

        Path data = randomFile("data", 10);
        ScriptedGolemJsStorage.Service wrongWay = storage.receive(data);
        JsonNode wrongComponents = sandbox.run(id, "[" + transfer(wrongWay.url(), "/golem/input/x") + "]").get(0);
        assertThat(wrongComponents.get("message").asText()).isEqualTo("transfer failed: the requestor's /public/gftp/"
                + wrongWay.uuid + " does not answer [GetMetadata, GetChunk] (it was bound with [UploadChunk,"
                + " UploadFinished])");

        ScriptedGolemJsStorage.Service failing = storage.failing(List.of("GetMetadata", "GetChunk"), "disk on fire");
        failing.connect();
        JsonNode refused = sandbox.run(id, "[" + transfer(failing.url(), "/golem/input/x") + "]").get(0);
        assertThat(refused.get("message").asText()).isEqualTo("transfer failed: the requestor's /public/gftp/"
                + failing.uuid + " answered with an error: InternalError: disk on fire");
        assertThat(inVolume("/golem/input")).isEmptyDirectory();
    }

    @Test
    void unbindingDuringATransferFailsIt() throws Exception {
        String id = sandbox.ready();
        ScriptedGolemJsStorage.Service upload = storage.silent();
        upload.connect();
        String batch = sandbox.exec(id, "[" + transfer(upload.url(), "/golem/input/x") + "]");
        sandbox.awaitState(id, "[\"Ready\",\"Ready\"]");
        // Unbind while the provider waits for an answer: before it asks, the transfer would find no service at all.
        Await.until("the provider asked the service for the file", () -> !upload.requests.isEmpty());

        upload.unbind();

        // Whether the transfer was already waiting for the socket or only then looked the service up, it fails.
        JsonNode result = sandbox.finished(id, batch).get(0);
        assertThat(result.get("result").asText()).as(result.toString()).isEqualTo("Error");
        assertThat(result.get("message").asText()).isIn(
                "transfer failed: the requestor unbound the GSB service /public/gftp/" + upload.uuid,
                "transfer failed: no requestor service is bound at /public/gftp/" + upload.uuid + " for " + upload.url()
                        + " (bind it with POST /gsb-api/v1/services before the exec)");
    }

    @Test
    void downloadDataGetsTheBytesOfAContainerFile() throws Exception {
        String id = sandbox.ready();
        sandbox.run(id, "[{\"run\":{\"entry_point\":\"/bin/write\",\"args\":[\"/golem/output/r.txt\",\"result 42\"]}}]");
        Path received = dir.resolve("r.txt");
        ScriptedGolemJsStorage.Service download = storage.receive(received);
        download.connect();

        JsonNode result = sandbox.run(id, "[" + transfer("container:/golem/output/r.txt", download.url()) + "]").get(0);

        assertThat(result.get("result").asText()).isEqualTo("Ok");
        assertThat(Files.readString(received, StandardCharsets.UTF_8)).isEqualTo("result 42");
    }
}
