package dev.golemsandbox.gsb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.flatbuffers.ArrayReadWriteBuf;
import com.google.flatbuffers.FlexBuffers;
import com.google.flatbuffers.FlexBuffersBuilder;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class GsbFramesTest {

    /** Replies as golem-js sends them: bytes from flatbuffers' JavaScript {@code encode()} (flatbuffers 24 on Node 20). */
    private static final String JS_METADATA = "6964000131007061796c6f61640066696c6553697a6500010a00000004000000010000000100"
            + "00009d30200306022e290201022f0c1426042401";
    private static final String JS_NULL_PAYLOAD = "6964000138007061796c6f616400020f0a02010210001400042401";
    private static final String JS_ERROR = "6572726f7200496e7465726e616c4572726f7200134661696c656420746f20726561642066"
            + "696c6500012401010119146964000139000237080201020e092414042401";

    private static ByteBuffer bytes(String hex) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex));
    }

    private static FlexBuffers.Map decode(ByteBuffer frame) {
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        return FlexBuffers.getRoot(new ArrayReadWriteBuf(bytes, bytes.length)).asMap();
    }

    @Test
    void readsGolemJsMetadataReply() {
        GsbFrames.Reply reply = GsbFrames.reply(bytes(JS_METADATA));

        assertThat(reply.id()).isEqualTo("1");
        assertThat(reply.error()).isNull();
        assertThat(reply.field("fileSize").asLong()).isEqualTo(52_441_245L);
    }

    @Test
    void readsGolemJsNullPayloadAsDone() {
        GsbFrames.Reply reply = GsbFrames.reply(bytes(JS_NULL_PAYLOAD));

        assertThat(reply.id()).isEqualTo("8");
        assertThat(reply.error()).isNull();
        assertThat(reply.field("content").isNull()).as("a field of a null payload is null, not a crash").isTrue();
    }

    @Test
    void readsAnErrorReplyAsText() {
        GsbFrames.Reply reply = GsbFrames.reply(bytes(JS_ERROR));

        assertThat(reply.id()).isEqualTo("9");
        assertThat(reply.error()).isEqualTo("InternalError: Failed to read file");
    }

    @Test
    void refusesFramesThatAreNotReplies() {
        FlexBuffersBuilder number = new FlexBuffersBuilder();
        number.putInt(7);
        assertThatThrownBy(() -> GsbFrames.reply(number.finish())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a GSB reply must be a FlexBuffers map {id, payload} or {id, error}");

        FlexBuffersBuilder numericId = new FlexBuffersBuilder();
        int root = numericId.startMap();
        numericId.putInt("id", 7);
        numericId.endMap(null, root);
        assertThatThrownBy(() -> GsbFrames.reply(numericId.finish())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a GSB reply must carry its request's \"id\" as a string");
    }

    @Test
    void writesRequestsWithIdComponentAndPayload() {
        byte[] content = {9, 8, 7};
        FlexBuffers.Map upload = decode(GsbFrames.request("42", "UploadChunk", content.length, b -> {
            int chunk = b.startMap();
            b.putInt("offset", 2_000_000_000L);
            b.putBlob("content", content);
            b.endMap("chunk", chunk);
        }));

        assertThat(upload.get("id").asString()).isEqualTo("42");
        assertThat(upload.get("component").asString()).isEqualTo("UploadChunk");
        FlexBuffers.Map chunk = upload.get("payload").asMap().get("chunk").asMap();
        assertThat(chunk.get("offset").asLong()).isEqualTo(2_000_000_000L);
        assertThat(chunk.get("content").asBlob().getBytes()).containsExactly(9, 8, 7);
    }
}
