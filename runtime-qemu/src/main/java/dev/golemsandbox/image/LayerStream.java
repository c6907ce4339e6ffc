package dev.golemsandbox.image;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The uncompressed tar stream of a layer, whatever its compression: plain, gzip (read by the
 * JDK), or zstd (piped through the host's {@code zstd -dc}). The compression is told by the
 * first bytes, not by media types, which saved images do not always get right.
 */
final class LayerStream {

    private static final int BUFFER = 1 << 16;
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

    private LayerStream() {
    }

    /**
     * Wraps {@code raw} (which the returned stream closes).
     *
     * @throws ToolUnavailableException for a zstd layer when zstd is not installed
     */
    static InputStream open(InputStream raw, String layer) throws ImageConversionException, IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(in, BUFFER);
        }
        if (magic.length == 4 && Arrays.equals(magic, ZSTD_MAGIC)) {
            Path zstd = HostTools.find("zstd").orElseThrow(() -> new ToolUnavailableException(
                    layer + " is zstd-compressed and the zstd tool is not installed: install it with 'apt-get install zstd'"));
            return new ZstdDecompression(zstd, in);
        }
        return in;
    }

    /** stdout of {@code zstd -dc}, fed from the compressed stream by a thread that ends with it. */
    private static final class ZstdDecompression extends FilterInputStream {

        private final Process process;
        private final Thread feeder;
        private final InputStream compressed;

        ZstdDecompression(Path zstd, InputStream compressed) throws IOException {
            this(new ProcessBuilder(HostTools.dyingWithParent(zstd, List.of("-dc")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start(), compressed);
        }

        private ZstdDecompression(Process process, InputStream compressed) {
            super(process.getInputStream());
            this.process = process;
            this.compressed = compressed;
            this.feeder = new Thread(() -> {
                try (OutputStream toZstd = process.getOutputStream()) {
                    compressed.transferTo(toZstd);
                } catch (IOException e) {
                    // zstd closed its input (it failed or was stopped); its exit status tells the reader.
                }
            }, "zstd-layer-feeder");
            feeder.setDaemon(true);
            feeder.start();
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                checkExit();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n < 0) {
                checkExit();
            }
            return n;
        }

        /** At the end of zstd's output: a failed zstd means a truncated layer, not a short one. */
        private void checkExit() throws IOException {
            try {
                int exit = process.waitFor();
                if (exit != 0) {
                    throw new IOException("zstd could not decompress the layer (exit " + exit + ")");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while decompressing a zstd layer", e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                process.destroyForcibly();
                compressed.close();
                try {
                    feeder.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
