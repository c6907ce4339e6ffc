package dev.golemsandbox.registry;

import dev.golemsandbox.store.ImageNotFoundException;
import dev.golemsandbox.store.StoredImage;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * {@code GET|HEAD /v1/image/download?tag=..|hash=..} and {@code /download/<hash>}: the image file,
 * streamed from disk, whole (200) or one byte range (206, for resumed downloads).
 */
final class ImageDownloadHandler implements Handler {

    private static final int BUFFER = 1 << 16;

    private final ImageLookup images;

    ImageDownloadHandler(ImageLookup images) {
        this.images = images;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        String reference = ctx.pathParamMap().containsKey("hash") ? ImageQuery.hash(ctx.pathParam("hash")) : ImageQuery.reference(ctx);
        StoredImage image = images.resolve(reference).image();
        try (FileChannel file = FileChannel.open(image.file(), StandardOpenOption.READ)) {
            long size = file.size();
            Optional<ByteRange> range = ByteRange.parse(ctx.header("Range"), size);
            long first = range.map(ByteRange::first).orElse(0L);
            long length = range.map(ByteRange::length).orElse(size);
            ctx.status(range.isPresent() ? 206 : 200);
            ctx.header("Accept-Ranges", "bytes");
            ctx.header("ETag", "\"" + image.sha3() + "\"");
            ctx.header("Content-Disposition", "attachment; filename=\"" + image.sha3() + ".gvmi\"");
            range.ifPresent(r -> ctx.header("Content-Range", r.contentRange(size)));
            ctx.res().setContentType("application/octet-stream");
            ctx.res().setContentLengthLong(length);
            if (ctx.method() != HandlerType.HEAD) {
                // The servlet's own stream: no response compression, which would break lengths and ranges.
                send(file, first, length, ctx.res().getOutputStream());
            }
        } catch (NoSuchFileException e) {
            throw new ImageNotFoundException("image " + image.sha3() + " was removed from the store");
        }
    }

    private static void send(FileChannel file, long first, long length, OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        long position = first;
        long end = first + length;
        try {
            while (position < end) {
                buffer.clear().limit((int) Math.min(BUFFER, end - position));
                int n = file.read(buffer, position);
                if (n < 0) {
                    break;
                }
                out.write(buffer.array(), 0, n);
                position += n;
            }
            out.flush();
        } catch (IOException e) {
            // The client went away mid-download; there is nobody left to answer.
        }
    }
}
