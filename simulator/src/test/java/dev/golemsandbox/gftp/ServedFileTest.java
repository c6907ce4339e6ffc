package dev.golemsandbox.gftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.flatbuffers.ArrayReadWriteBuf;
import com.google.flatbuffers.FlexBuffers;
import com.google.flatbuffers.FlexBuffersBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a provider (and so a guest) can send the requestor's gftp program is untrusted: chunks
 * outside the file, oversized requests and a wrong hash are refused, and nothing half-written or
 * corrupted appears at the output path.
 */
class ServedFileTest {

    @TempDir
    Path dir;

    private static GsbRequest request(String component, Consumer<FlexBuffersBuilder> payload) {
        FlexBuffersBuilder builder = new FlexBuffersBuilder(new ArrayReadWriteBuf(1 << 16), FlexBuffersBuilder.BUILDER_FLAG_NONE);
        int root = builder.startMap();
        builder.putString("id", "7");
        builder.putString("component", component);
        int body = builder.startMap();
        payload.accept(builder);
        builder.endMap("payload", body);
        builder.endMap(null, root);
        ByteBuffer frame = builder.finish();
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        return GsbRequest.decode(bytes);
    }

    private static GsbRequest chunk(long offset, byte[] content) {
        return request("UploadChunk", b -> {
            int chunk = b.startMap();
            b.putInt("offset", offset);
            b.putBlob("content", content);
            b.endMap("chunk", chunk);
        });
    }

    private static FlexBuffers.Map reply(ByteBuffer frame) {
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        return FlexBuffers.getRoot(new ArrayReadWriteBuf(bytes, bytes.length)).asMap();
    }

    private static String sha3(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA3-256").digest(content));
    }

    @Test
    void aReceivedFileAppearsOnlyWhenItsHashMatches() throws Exception {
        Path output = dir.resolve("out.txt");
        byte[] content = "hello from the VM".getBytes(StandardCharsets.UTF_8);
        try (ReceivedFile received = new ReceivedFile(output)) {
            assertThat(reply(received.answer(chunk(6, "from the VM".getBytes(StandardCharsets.UTF_8)))).get("id").asString()).isEqualTo("7");
            received.answer(chunk(0, "hello ".getBytes(StandardCharsets.UTF_8)));
            assertThat(output).doesNotExist();
            String hash = sha3(content);
            received.answer(request("UploadFinished", b -> b.putString("hash", hash)));
        }
        assertThat(Files.readAllBytes(output)).isEqualTo(content);
    }

    @Test
    void aCorruptedUploadLeavesNothingBehind() throws Exception {
        Path output = dir.resolve("out.bin");
        try (ReceivedFile received = new ReceivedFile(output)) {
            received.answer(chunk(0, new byte[] {1, 2, 3}));
            assertThatThrownBy(() -> received.answer(request("UploadFinished", b -> b.putString("hash", "00"))))
                    .isInstanceOf(IOException.class).hasMessageContaining("is corrupted");
        }
        try (var files = Files.list(dir)) {
            assertThat(files).as("no output and no temp file").isEmpty();
        }
    }

    @Test
    void chunksOutsideWhatGftpCarriesAreRefused() throws Exception {
        try (ReceivedFile received = new ReceivedFile(dir.resolve("out.bin"))) {
            assertThatThrownBy(() -> received.answer(chunk(-1, new byte[] {1})))
                    .isInstanceOf(IOException.class).hasMessageContaining("outside what gftp carries");
            assertThatThrownBy(() -> received.answer(chunk(ReceivedFile.MAX_FILE_BYTES, new byte[] {1})))
                    .isInstanceOf(IOException.class).hasMessageContaining("outside what gftp carries");
            assertThatThrownBy(() -> received.answer(request("GetChunk", b -> b.putInt("offset", 0))))
                    .isInstanceOf(IOException.class).hasMessageContaining("not GetChunk");
        }
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aPublishedFileServesOnlyWhatItHoldsAndCapsBigRequests() throws Exception {
        byte[] content = new byte[PublishedFile.MAX_CHUNK_BYTES + 100];
        content[content.length - 1] = 42;
        Path file = Files.write(dir.resolve("in.bin"), content);
        try (PublishedFile published = PublishedFile.open(file)) {
            assertThat(reply(published.answer(request("GetMetadata", b -> { }))).get("payload").asMap().get("fileSize").asLong())
                    .isEqualTo(content.length);
            FlexBuffers.Map huge = reply(published.answer(request("GetChunk", b -> {
                b.putInt("offset", 0);
                b.putInt("size", Integer.MAX_VALUE);
            }))).get("payload").asMap();
            assertThat(huge.get("content").asBlob().size()).isEqualTo(PublishedFile.MAX_CHUNK_BYTES);
            FlexBuffers.Map tail = reply(published.answer(request("GetChunk", b -> {
                b.putInt("offset", content.length - 1);
                b.putInt("size", 1000);
            }))).get("payload").asMap();
            assertThat(tail.get("content").asBlob().getBytes()).containsExactly(42);
            FlexBuffers.Map past = reply(published.answer(request("GetChunk", b -> {
                b.putInt("offset", content.length + 5);
                b.putInt("size", 10);
            }))).get("payload").asMap();
            assertThat(past.get("content").asBlob().size()).isZero();
            assertThatThrownBy(() -> published.answer(request("GetChunk", b -> {
                b.putInt("offset", -5);
                b.putInt("size", 10);
            }))).isInstanceOf(IOException.class).hasMessageContaining("non-negative");
        }
    }
}
