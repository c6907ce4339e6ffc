package dev.golemsandbox.gftp;

import com.google.flatbuffers.ArrayReadWriteBuf;
import com.google.flatbuffers.FlexBuffers;
import com.google.flatbuffers.FlexBuffersBuilder;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A request the sandbox sends a served file over its GSB WebSocket ({@code gsb+flexbuffers}):
 * {@code {id, component, payload}}, and the frames that answer it: {@code {id, payload}} or
 * {@code {id, error: {InternalError: "..."}}}, as golem-js's WebSocket storage writes them.
 *
 * <pre>{@code
 * GsbRequest request = GsbRequest.decode(frame);
 * ByteBuffer answer = request.reply(sizeHint, b -> b.putInt("fileSize", size));
 * }</pre>
 *
 * @param id        the request's id, echoed in the reply
 * @param component e.g. {@code GetChunk}
 * @param payload   the request's payload map (empty when the frame had none)
 */
record GsbRequest(String id, String component, FlexBuffers.Map payload) {

    /** Decodes a request frame; the request reads from {@code frame}, which the caller must not reuse. */
    static GsbRequest decode(byte[] frame) {
        FlexBuffers.Reference root = FlexBuffers.getRoot(new ArrayReadWriteBuf(frame, frame.length));
        if (!root.isMap()) {
            throw new IllegalArgumentException("a GSB request must be a FlexBuffers map {id, component, payload}");
        }
        FlexBuffers.Map map = root.asMap();
        FlexBuffers.Reference id = map.get("id");
        FlexBuffers.Reference component = map.get("component");
        if (!id.isString() || !component.isString()) {
            throw new IllegalArgumentException("a GSB request must carry \"id\" and \"component\" as strings");
        }
        FlexBuffers.Reference payload = map.get("payload");
        return new GsbRequest(id.asString(), component.asString(), payload.isMap() ? payload.asMap() : FlexBuffers.Map.empty());
    }

    /** A numeric field of the payload, or -1 when it is missing or not a number. */
    long number(String field) {
        FlexBuffers.Reference value = payload.get(field);
        return value.isNumeric() ? value.asLong() : -1;
    }

    /**
     * The reply carrying a payload map written by {@code payload}, or a null payload ("done") when it is null.
     *
     * @param sizeHint bytes the payload needs (a chunk's length), so the buffer is allocated once
     */
    ByteBuffer reply(int sizeHint, Consumer<FlexBuffersBuilder> payload) {
        FlexBuffersBuilder builder = builder(sizeHint);
        int root = builder.startMap();
        builder.putString("id", id);
        if (payload == null) {
            builder.putNull("payload");
        } else {
            int body = builder.startMap();
            payload.accept(builder);
            builder.endMap("payload", body);
        }
        builder.endMap(null, root);
        return builder.finish();
    }

    /** The reply saying the request failed, in yagna's shape of an error. */
    ByteBuffer error(String message) {
        FlexBuffersBuilder builder = builder(message.length());
        int root = builder.startMap();
        builder.putString("id", id);
        int error = builder.startMap();
        builder.putString("InternalError", message);
        builder.endMap("error", error);
        builder.endMap(null, root);
        return builder.finish();
    }

    private static FlexBuffersBuilder builder(int sizeHint) {
        return new FlexBuffersBuilder(new ArrayReadWriteBuf(sizeHint + 256), FlexBuffersBuilder.BUILDER_FLAG_SHARE_KEYS_AND_STRINGS);
    }
}
