package dev.golemsandbox.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads one layer (plain, gzip or zstd tar) into a {@link StagedRootfs}, entry by entry. A layer is
 * untrusted: its uncompressed tar data is charged to the staging's {@link ExtractionBudget}, and
 * the headers of one entry (PAX records, GNU long names, sparse maps, which the tar reader keeps in
 * memory) may take at most {@link #MAX_HEADER_BYTES}.
 *
 * <pre>{@code
 * LayerReader.extract(rootfs, "layer 1/3 (blobs/sha256/3f4a...)", Files.newInputStream(blob));
 * }</pre>
 */
final class LayerReader {

    /** Header bytes of one entry: far above what paths and xattrs need, small enough for memory. */
    static final int MAX_HEADER_BYTES = 16 << 20;

    private LayerReader() {
    }

    /**
     * Applies every entry of the layer in {@code raw} (closed on return) as layer {@code name}.
     *
     * @throws ImageConversionException for a corrupt, truncated or unsafe layer, or one over the
     *         limits, in one line that names the layer
     */
    static void extract(StagedRootfs rootfs, String name, InputStream raw) throws ImageConversionException, IOException {
        rootfs.beginLayer(name);
        ExtractionBudget budget = rootfs.budget();
        try (BudgetedStream data = new BudgetedStream(LayerStream.open(raw, name), budget, name);
             TarArchiveInputStream tar = new TarArchiveInputStream(data, "UTF-8")) {
            TarArchiveEntry entry = null;
            while (true) {
                if (entry != null) {
                    // What the previous entry left unread is data, not headers.
                    tar.transferTo(OutputStream.nullOutputStream());
                }
                data.headers(true);
                entry = tar.getNextEntry();
                data.headers(false);
                if (entry == null) {
                    return;
                }
                rootfs.apply(entry, tar);
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            if (budget.refusal() != null) {
                throw budget.refusal();
            }
            // A truncated or corrupt layer, or a full disk: either way one line that names the layer.
            throw new ImageConversionException("failed while extracting " + name + ": " + e.getMessage(), e);
        }
    }

    /** The uncompressed tar stream, charged to the budget; bounded while headers are read. */
    private static final class BudgetedStream extends FilterInputStream {

        private final ExtractionBudget budget;
        private final String layer;
        private boolean headers;
        private long headerBytes;

        BudgetedStream(InputStream in, ExtractionBudget budget, String layer) {
            super(in);
            this.budget = budget;
            this.layer = layer;
        }

        void headers(boolean reading) {
            headers = reading;
            headerBytes = 0;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                charge(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                charge(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            charge(skipped);
            return skipped;
        }

        private void charge(long n) throws IOException {
            try {
                budget.chargeTarData(layer, n);
            } catch (ImageConversionException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (headers && (headerBytes += n) > MAX_HEADER_BYTES) {
                throw new IOException("the headers of one entry take more than " + ExtractionBudget.bytes(MAX_HEADER_BYTES)
                        + "; no image needs that");
            }
        }
    }
}
