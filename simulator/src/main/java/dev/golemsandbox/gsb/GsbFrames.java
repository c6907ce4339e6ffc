package dev.golemsandbox.gsb;

import com.google.flatbuffers.ArrayReadWriteBuf;
import com.google.flatbuffers.FlexBuffers;
import com.google.flatbuffers.FlexBuffersBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The FlexBuffers frames of the GSB WebSocket ({@code gsb+flexbuffers}). The sandbox sends
 * requests {@code {id, component, payload}} and receives replies {@code {id, payload}} or
 * {@code {id, error}}. Integers are written at their smallest width: golem-js reads 64-bit ones as
 * BigInt, which its gftp code cannot do arithmetic with.
 */
final class GsbFrames {

    /** A FlexBuffers null, for absent values. */
    private static final FlexBuffers.Reference NULL = nullReference();

    private GsbFrames() {
    }

    /**
     * A request frame; {@code payload} writes the payload map's entries (e.g.
     * {@code b -> b.putInt("offset", 0)}).
     *
     * @param sizeHint bytes the payload needs (e.g. a chunk's length), so the buffer is allocated once
     */
    static ByteBuffer request(String id, String component, int sizeHint, Consumer<FlexBuffersBuilder> payload) {
        FlexBuffersBuilder builder = new FlexBuffersBuilder(new ArrayReadWriteBuf(sizeHint + 256),
                FlexBuffersBuilder.BUILDER_FLAG_SHARE_KEYS_AND_STRINGS);
        int root = builder.startMap();
        builder.putString("id", id);
        builder.putString("component", component);
        int body = builder.startMap();
        payload.accept(builder);
        builder.endMap("payload", body);
        builder.endMap(null, root);
        return builder.finish();
    }

    /** Decodes a reply frame (the bytes are copied: the caller's buffer may be reused). */
    static Reply reply(ByteBuffer frame) {
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        FlexBuffers.Reference root = FlexBuffers.getRoot(new ArrayReadWriteBuf(bytes, bytes.length));
        if (!root.isMap()) {
            throw new IllegalArgumentException("a GSB reply must be a FlexBuffers map {id, payload} or {id, error}");
        }
        FlexBuffers.Map map = root.asMap();
        FlexBuffers.Reference id = map.get("id");
        if (!id.isString()) {
            throw new IllegalArgumentException("a GSB reply must carry its request's \"id\" as a string");
        }
        FlexBuffers.Reference error = map.get("error");
        if (!error.isNull()) {
            return new Reply(id.asString(), NULL, describe(error));
        }
        return new Reply(id.asString(), map.get("payload"), null);
    }

    private static FlexBuffers.Reference nullReference() {
        FlexBuffersBuilder builder = new FlexBuffersBuilder(new ArrayReadWriteBuf(16), FlexBuffersBuilder.BUILDER_FLAG_NONE);
        builder.putNull();
        ByteBuffer encoded = builder.finish();
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return FlexBuffers.getRoot(new ArrayReadWriteBuf(bytes, bytes.length));
    }

    /** An error as text: yagna's errors are maps of variant to message, e.g. {@code {"InternalError": "..."}}. */
    private static String describe(FlexBuffers.Reference error) {
        if (error.isString()) {
            return error.asString();
        }
        if (!error.isMap()) {
            return error.toString();
        }
        FlexBuffers.Map map = error.asMap();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < map.size(); i++) {
            FlexBuffers.Reference value = map.values().get(i);
            parts.add(map.keys().get(i) + ": " + (value.isString() ? value.asString() : value.toString()));
        }
        return String.join(", ", parts);
    }

    /**
     * A decoded reply.
     *
     * @param id      the request it answers
     * @param payload the reply's payload (a map, or null for "done")
     * @param error   the error the requestor sent instead, rendered as text, or null
     */
    record Reply(String id, FlexBuffers.Reference payload, String error) {

        /** A field of the payload map; a null reference when the payload is not a map or lacks the field. */
        FlexBuffers.Reference field(String name) {
            return payload.isMap() ? payload.asMap().get(name) : NULL;
        }
    }
}
