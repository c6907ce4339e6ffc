package dev.golemsandbox.activity.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * What one transfer may still write into the activity's volumes (the agreed storage less what
 * they hold), and the copies that keep to it: past it the transfer fails with "no space left on
 * device", as a provider's would on a full disk. Not thread-safe: one per transfer.
 */
final class SpaceLeft {

    private static final int BUFFER_BYTES = 1 << 20;

    private long bytes;
    /** One buffer for every copy of the transfer: an archive of many small files must not allocate a MiB for each. */
    private ByteBuffer buffer;

    SpaceLeft(long bytes) {
        this.bytes = bytes;
    }

    long bytes() {
        return bytes;
    }

    /** Counts {@code n} bytes about to be written. */
    void take(long n) throws IOException {
        if (n > bytes) {
            throw new IOException("no space left on device: the activity's volumes are full"
                    + " (they hold at most the offer's golem.inf.storage.gib)");
        }
        bytes -= n;
    }

    void copy(InputStream in, WritableByteChannel out) throws IOException {
        ByteBuffer buffer = buffer();
        int n;
        while ((n = in.read(buffer.array(), 0, buffer.capacity())) > 0) {
            take(n);
            writeFully(out, buffer.clear().limit(n));
        }
    }

    void copy(ReadableByteChannel in, WritableByteChannel out) throws IOException {
        ByteBuffer buffer = buffer();
        while (in.read(buffer.clear()) > 0) {
            take(buffer.flip().remaining());
            writeFully(out, buffer);
        }
    }

    private ByteBuffer buffer() {
        if (buffer == null) {
            buffer = ByteBuffer.allocate(BUFFER_BYTES);
        }
        return buffer;
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
