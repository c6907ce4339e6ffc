package dev.golemsandbox.gftp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * A file {@code publish} offers for download into a VM: {@code GetMetadata} answers its size,
 * {@code GetChunk} a piece of it. The file is opened at publish time, as yagna's gftp does, so a
 * missing file is an error of the publish call.
 */
final class PublishedFile implements ServedFile {

    /** More than a provider asks for at once (the sandbox asks 1 MiB): a bigger request is served in part. */
    static final int MAX_CHUNK_BYTES = 4 << 20;

    private final FileChannel in;
    private final Path file;

    private PublishedFile(FileChannel in, Path file) {
        this.in = in;
        this.file = file;
    }

    static PublishedFile open(Path file) throws IOException {
        return new PublishedFile(FileChannel.open(file, StandardOpenOption.READ), file);
    }

    @Override
    public List<String> components() {
        return List.of("GetMetadata", "GetChunk");
    }

    @Override
    public synchronized ByteBuffer answer(GsbRequest request) throws IOException {
        long size = in.size();
        switch (request.component()) {
            case "GetMetadata":
                return request.reply(0, b -> b.putInt("fileSize", size));
            case "GetChunk":
                long offset = request.number("offset");
                long asked = request.number("size");
                if (offset < 0 || asked < 0) {
                    throw new IOException("GetChunk needs a non-negative offset and size, got offset " + offset + " size " + asked);
                }
                byte[] content = read(offset, (int) Math.min(Math.min(asked, MAX_CHUNK_BYTES), Math.max(0, size - offset)));
                return request.reply(content.length, b -> {
                    b.putBlob("content", content);
                    b.putInt("offset", offset);
                });
            default:
                throw new IOException(file + " is published for download: it answers GetMetadata and GetChunk, not "
                        + request.component());
        }
    }

    private byte[] read(long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (in.read(buffer, offset + buffer.position()) < 0) {
                break;
            }
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    @Override
    public synchronized void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // Only read from: nothing is lost.
        }
    }
}
