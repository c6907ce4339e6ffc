package dev.golemsandbox.gftp;

import com.google.flatbuffers.FlexBuffers;
import dev.golemsandbox.home.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A file {@code receive} takes from a VM: {@code UploadChunk}s are written to a temp file beside
 * the output file, and {@code UploadFinished} checks the content against the SHA3-256 the provider
 * sends before renaming it into place, so the requestor never sees a half-written or corrupted file.
 * What the guest sends is untrusted: offsets are bounded and only the output file is written.
 */
final class ReceivedFile implements ServedFile {

    /** golem-js's gftp cannot address more either (its offsets are 32-bit numbers). */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE;

    private final Path output;
    private Path temp;
    private FileChannel out;
    private boolean closed;

    ReceivedFile(Path output) {
        this.output = output.toAbsolutePath();
    }

    @Override
    public List<String> components() {
        return List.of("UploadChunk", "UploadFinished");
    }

    @Override
    public synchronized ByteBuffer answer(GsbRequest request) throws IOException {
        if (closed) {
            throw new IOException("the gftp program no longer receives " + output);
        }
        switch (request.component()) {
            case "UploadChunk":
                write(request);
                return request.reply(0, null);
            case "UploadFinished":
                finish(request.payload().get("hash").asString());
                return request.reply(0, null);
            default:
                throw new IOException(output + " is open for upload: it answers UploadChunk and UploadFinished, not "
                        + request.component());
        }
    }

    private void write(GsbRequest request) throws IOException {
        FlexBuffers.Reference chunk = request.payload().get("chunk");
        if (!chunk.isMap() || !chunk.asMap().get("content").isBlob() || !chunk.asMap().get("offset").isNumeric()) {
            throw new IOException("UploadChunk needs {chunk: {offset, content}}");
        }
        long offset = chunk.asMap().get("offset").asLong();
        ByteBuffer content = chunk.asMap().get("content").asBlob().data();
        if (offset < 0 || offset + content.remaining() > MAX_FILE_BYTES) {
            throw new IOException("UploadChunk at offset " + offset + " with " + content.remaining()
                    + " bytes is outside what gftp carries (0 to " + MAX_FILE_BYTES + " bytes)");
        }
        if (out == null) {
            temp = AtomicFile.tempBeside(output);
            out = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        long position = offset;
        while (content.hasRemaining()) {
            position += out.write(content, position);
        }
    }

    private void finish(String expected) throws IOException {
        if (out == null) {
            // An empty file sends no chunk at all.
            temp = AtomicFile.tempBeside(output);
            out = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        String actual = sha3(out);
        if (!actual.equalsIgnoreCase(expected)) {
            discard();
            throw new IOException("the file received for " + output + " is corrupted: its SHA3-256 is " + actual
                    + ", the provider announced " + expected);
        }
        out.close();
        out = null;
        AtomicFile.commit(temp, output);
        temp = null;
    }

    private static String sha3(FileChannel file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA3-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA3-256", e);
        }
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        long position = 0;
        for (int read = file.read(buffer, position); read > 0; read = file.read(buffer, position)) {
            position += read;
            buffer.flip();
            digest.update(buffer);
            buffer.clear();
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Drops what was received so far (a transfer that failed or never finished). */
    private void discard() {
        try {
            if (out != null) {
                out.close();
            }
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        } catch (IOException ignored) {
            // A temp file left behind is named as one (.<name>.<n>.part) beside the output.
        }
        out = null;
        temp = null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        discard();
    }
}
