package dev.golemsandbox.gsb;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.flatbuffers.ArrayReadWriteBuf;
import com.google.flatbuffers.FlexBuffers;
import com.google.flatbuffers.FlexBuffersBuilder;
import dev.golemsandbox.gvmi.Sha3;
import dev.golemsandbox.testing.Http;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;

/**
 * A Java imitation of golem-js's WebSocket storage provider ({@code ws.ts}), scripted against the
 * GSB API: binds a service per file, opens its WebSocket with the {@code gsb+flexbuffers}
 * subprotocol and {@code ?authToken=}, and answers the provider's requests from (or into) a file
 * on disk. Real golem-js transfers are covered by the npm examples in {@code requestor-examples/js}.
 */
final class ScriptedGolemJsStorage {

    static final String IDENTITY = "0x1111111111111111111111111111111111111111";

    private final Http http;
    private final URI base;
    private final String appKey;

    ScriptedGolemJsStorage(Http http, URI base, String appKey) {
        this.http = http;
        this.base = base;
        this.appKey = appKey;
    }

    /** A bound service whose socket is not open yet. */
    final class Service {
        final String uuid = UUID.randomUUID().toString();
        final String servicesId;
        final List<String> components;
        final List<String> requests = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> finishedHash = new CompletableFuture<>();
        private final Function<FlexBuffers.Map, Reply> answer;
        private volatile WebSocket socket;

        Service(List<String> components, Function<FlexBuffers.Map, Reply> answer) {
            this.components = components;
            this.answer = answer;
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            ObjectNode listen = body.putObject("listen").put("on", "/public/gftp/" + uuid);
            components.forEach(listen.putArray("components")::add);
            Http.Response bound = http.post("/gsb-api/v1/services", body);
            if (bound.status() != 201) {
                throw new AssertionError("bind failed: " + bound.status() + " " + bound.text());
            }
            servicesId = bound.json().get("servicesId").asText();
        }

        String url() {
            return "gftp://" + IDENTITY + "/" + uuid;
        }

        /** Opens the WebSocket as golem-js does; returns the subprotocol the server chose. */
        String connect() throws Exception {
            return connect(appKey);
        }

        String connect(String token) throws Exception {
            URI uri = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/gsb-api/v1/services/" + servicesId
                    + "?authToken=" + token);
            socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols(GsbApi.SUBPROTOCOL)
                    .buildAsync(uri, new Listener()).get(10, TimeUnit.SECONDS);
            return socket.getSubprotocol();
        }

        void unbind() {
            http.delete("/gsb-api/v1/services/" + servicesId);
        }

        /** Answers whole frames one by one, in order, as the browser/Node event loop does. */
        private final class Listener implements WebSocket.Listener {
            private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
            private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                partial.writeBytes(bytes);
                if (last) {
                    byte[] frame = partial.toByteArray();
                    partial.reset();
                    FlexBuffers.Map request = FlexBuffers.getRoot(new ArrayReadWriteBuf(frame, frame.length)).asMap();
                    String id = request.get("id").asString();
                    requests.add(request.get("component").asString());
                    Reply reply = answer.apply(request);
                    if (reply != null) {
                        ByteBuffer encoded = reply.encode(id);
                        sending = sending.thenCompose(previous -> ws.sendBinary(encoded, true));
                    }
                }
                ws.request(1);
                return null;
            }
        }
    }

    /** A reply: a payload written by {@code payload}, null, or an error. */
    record Reply(Consumer<FlexBuffersBuilder> payload, String error) {
        static Reply of(Consumer<FlexBuffersBuilder> payload) {
            return new Reply(payload, null);
        }

        static Reply nothing() {
            return new Reply(null, null);
        }

        static Reply failure(String message) {
            return new Reply(null, message);
        }

        ByteBuffer encode(String id) {
            FlexBuffersBuilder builder = new FlexBuffersBuilder(new ArrayReadWriteBuf(2 << 20),
                    FlexBuffersBuilder.BUILDER_FLAG_SHARE_KEYS_AND_STRINGS);
            int root = builder.startMap();
            builder.putString("id", id);
            if (error != null) {
                int map = builder.startMap();
                builder.putString("InternalError", error);
                builder.endMap("error", map);
            } else if (payload == null) {
                builder.putNull("payload");
            } else {
                int map = builder.startMap();
                payload.accept(builder);
                builder.endMap("payload", map);
            }
            builder.endMap(null, root);
            return builder.finish();
        }
    }

    /** A publisher that takes the provider's requests and never answers them: a transfer stays in flight. */
    Service silent() {
        return new Service(List.of("GetMetadata", "GetChunk"), request -> null);
    }

    /** {@code publishFile}: answers GetMetadata and GetChunk from {@code file}. */
    Service publish(Path file) {
        return publish(file, asked -> asked);
    }

    /** A publisher that answers a GetChunk of n bytes with {@code replyBytes(n)} bytes (fewer at the file's end). */
    Service publish(Path file, LongUnaryOperator replyBytes) {
        return new Service(List.of("GetMetadata", "GetChunk"), request -> {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = in.size();
                if (request.get("component").asString().equals("GetMetadata")) {
                    return Reply.of(b -> b.putInt("fileSize", size));
                }
                FlexBuffers.Map payload = request.get("payload").asMap();
                long offset = payload.get("offset").asLong();
                int length = (int) Math.min(replyBytes.applyAsLong(payload.get("size").asLong()), size - offset);
                ByteBuffer chunk = ByteBuffer.allocate(length);
                int read;
                do {
                    read = in.read(chunk, offset + chunk.position());
                } while (read > 0 && chunk.hasRemaining());
                return Reply.of(b -> {
                    b.putBlob("content", chunk.array());
                    b.putInt("offset", offset);
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** {@code receiveFile}: writes UploadChunks into {@code file}; completes {@code finishedHash} on UploadFinished after checking it. */
    Service receive(Path file) {
        Service[] self = new Service[1];
        self[0] = new Service(List.of("UploadChunk", "UploadFinished"), request -> {
            FlexBuffers.Map payload = request.get("payload").asMap();
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                if (request.get("component").asString().equals("UploadChunk")) {
                    FlexBuffers.Map chunk = payload.get("chunk").asMap();
                    ByteBuffer content = ByteBuffer.wrap(chunk.get("content").asBlob().getBytes());
                    long offset = chunk.get("offset").asLong();
                    while (content.hasRemaining()) {
                        offset += out.write(content, offset);
                    }
                    return Reply.nothing();
                }
                String hash = payload.get("hash").asString();
                String actual = sha3_256(file);
                if (!hash.equals(actual)) {
                    self[0].finishedHash.completeExceptionally(new AssertionError("File corrupted, expected hash "
                            + hash + ", got " + actual));
                } else {
                    self[0].finishedHash.complete(hash);
                }
                return Reply.nothing();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return self[0];
    }

    /** A service whose every answer is an error. */
    Service failing(List<String> components, String message) {
        return new Service(components, request -> Reply.failure(message));
    }

    static String sha3_256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Sha3.hex("SHA3-256", in);
        }
    }
}
