package dev.golemsandbox.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.flatbuffers.ArrayReadWriteBuf;
import com.google.flatbuffers.FlexBuffers;
import com.google.flatbuffers.FlexBuffersBuilder;
import dev.golemsandbox.blob.ContentHash;
import dev.golemsandbox.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One gftp file of the requestor's, as golem-js's WebSocket storage offers it: a GSB service bound
 * at {@code /public/gftp/<id>} on the daemon, and the WebSocket this process opens to it, over
 * which the provider asks for the file ({@code GetMetadata}, {@code GetChunk}) or delivers one
 * ({@code UploadChunk}s, {@code UploadFinished}). The connection goes from here to the daemon, so
 * the daemon needs no route back to this process wherever it runs.
 */
final class GftpService implements AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** The most a provider's {@code GetChunk} may ask for at once. */
    private static final int MAX_CHUNK = 16 << 20;

    private final HttpClient http;
    private final URI apiUrl;
    private final String appKey;
    private final String servicesId;
    private final Path served;
    private final WebSocket socket;
    private final MessageDigest receivedDigest;
    private long receivedBytes;
    private volatile Optional<ContentHash> received = Optional.empty();
    private volatile CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    private GftpService(HttpClient http, URI apiUrl, String appKey, String id, Path served) throws IOException {
        this.http = http;
        this.apiUrl = apiUrl;
        this.appKey = appKey;
        this.served = served;
        try {
            this.receivedDigest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        ObjectNode listen = JsonMapper.shared().createObjectNode();
        listen.putObject("listen").put("on", "/public/gftp/" + id).putArray("components")
                .add(served != null ? "GetMetadata" : "UploadChunk").add(served != null ? "GetChunk" : "UploadFinished");
        this.servicesId = bind(listen);
        String ws = apiUrl.toString().replaceFirst("^http", "ws") + "/gsb-api/v1/services/"
                + URLEncoder.encode(servicesId, StandardCharsets.UTF_8) + "?authToken=" + URLEncoder.encode(appKey, StandardCharsets.UTF_8);
        try {
            this.socket = http.newWebSocketBuilder().subprotocols("gsb+flexbuffers").connectTimeout(CALL_TIMEOUT)
                    .buildAsync(URI.create(ws), new Frames()).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            unbind();
            throw new IOException("cannot open the GSB WebSocket of " + apiUrl + ": " + e.getMessage(), e);
        }
    }

    /** Offers {@code file} to providers at {@code /public/gftp/<id>}. */
    static GftpService serving(HttpClient http, URI apiUrl, String appKey, String id, Path file) throws IOException {
        return new GftpService(http, apiUrl, appKey, id, file);
    }

    /** Takes a file a provider delivers at {@code /public/gftp/<id>}, keeping only its hash. */
    static GftpService receiving(HttpClient http, URI apiUrl, String appKey, String id) throws IOException {
        return new GftpService(http, apiUrl, appKey, id, null);
    }

    /** The hash and size of the file delivered here, once the provider said it was finished. */
    Optional<ContentHash> received() {
        return received;
    }

    private String bind(JsonNode body) throws IOException {
        HttpResponse<String> answer = call(HttpRequest.newBuilder(URI.create(apiUrl + "/gsb-api/v1/services"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        if (answer.statusCode() / 100 != 2) {
            throw new IOException("binding a gftp service on " + apiUrl + " answered HTTP " + answer.statusCode() + ": " + answer.body());
        }
        return JsonMapper.readTree(answer.body().getBytes(StandardCharsets.UTF_8)).path("servicesId").asText();
    }

    private void unbind() {
        try {
            call(HttpRequest.newBuilder(URI.create(apiUrl + "/gsb-api/v1/services/" + URLEncoder.encode(servicesId, StandardCharsets.UTF_8))).DELETE());
        } catch (IOException e) {
            // The daemon drops a service whose socket closed; this only tidies up early.
        }
    }

    private HttpResponse<String> call(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.header("Authorization", "Bearer " + appKey).timeout(CALL_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + apiUrl, e);
        }
    }

    /** Answers one request frame {@code {id, component, payload}}. */
    private ByteBuffer answer(byte[] frame) throws IOException {
        FlexBuffers.Map request = FlexBuffers.getRoot(new ArrayReadWriteBuf(frame, frame.length)).asMap();
        String id = request.get("id").asString();
        String component = request.get("component").asString();
        FlexBuffers.Map payload = request.get("payload").asMap();
        FlexBuffersBuilder reply = new FlexBuffersBuilder(new ArrayReadWriteBuf(1024), FlexBuffersBuilder.BUILDER_FLAG_SHARE_KEYS_AND_STRINGS);
        int root = reply.startMap();
        reply.putString("id", id);
        int body = reply.startMap();
        switch (component) {
            case "GetMetadata" -> reply.putInt("fileSize", served.toFile().length());
            case "GetChunk" -> {
                long offset = payload.get("offset").asLong();
                int size = (int) Math.min(MAX_CHUNK, Math.max(0, payload.get("size").asLong()));
                reply.putBlob("content", read(offset, size));
                reply.putInt("offset", offset);
            }
            case "UploadChunk" -> receive(payload.get("chunk").asMap());
            case "UploadFinished" -> received = Optional.of(new ContentHash(HexFormat.of().formatHex(receivedDigest.digest()), receivedBytes));
            default -> throw new IOException("a provider called " + component + ", which a gftp file does not answer");
        }
        reply.endMap("payload", body);
        reply.endMap(null, root);
        return reply.finish();
    }

    private byte[] read(long offset, int size) throws IOException {
        try (FileChannel in = FileChannel.open(served, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(0, Math.min(size, in.size() - offset)));
            while (buffer.hasRemaining() && in.read(buffer, offset + buffer.position()) > 0) {
                // Reads until the chunk is full or the file ends.
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        }
    }

    /** Hashes a delivered chunk; chunks come in order, so one running digest is the file's. */
    private void receive(FlexBuffers.Map chunk) throws IOException {
        long offset = chunk.get("offset").asLong();
        if (offset != receivedBytes) {
            throw new IOException("a provider delivered a chunk at offset " + offset + " after " + receivedBytes + " bytes");
        }
        byte[] bytes = chunk.get("content").asBlob().getBytes();
        receivedDigest.update(bytes);
        receivedBytes += bytes.length;
    }

    /** Assembles frames, answers each in order, and sends the answers one after another. */
    private final class Frames implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] piece = new byte[data.remaining()];
            data.get(piece);
            partial.writeBytes(piece);
            if (last) {
                byte[] frame = partial.toByteArray();
                partial.reset();
                ByteBuffer reply;
                try {
                    reply = answer(frame);
                } catch (IOException | RuntimeException e) {
                    reply = null;
                    webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "cannot answer: " + e.getMessage());
                }
                if (reply != null) {
                    ByteBuffer out = reply;
                    sending = sending.thenCompose(ignored -> webSocket.sendBinary(out, true));
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    @Override
    public void close() {
        try {
            sending.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // The exchange is over either way: the batch this file served has ended.
        }
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null);
        unbind();
    }
}
