package dev.golemsandbox.image;

/**
 * How much a saved image may unpack to before its conversion is refused, so that a compression
 * bomb or a huge sparse file cannot fill the disk. The defaults are far above any real image.
 *
 * <pre>{@code
 * new GvmiConverter(Compression.LZO, progress).withLimits(new ExtractionLimits(8L << 30, 500_000));
 * }</pre>
 *
 * @param maxBytes   bytes the layers may unpack to, all layers together: their uncompressed tar
 *                   streams, and the apparent size of the files they hold (a sparse file counts
 *                   its holes)
 * @param maxEntries tar entries all layers together may hold
 */
public record ExtractionLimits(long maxBytes, long maxEntries) {

    /** 32 GiB and 2 million entries. */
    public static final ExtractionLimits DEFAULTS = new ExtractionLimits(32L << 30, 2_000_000);

    /** The environment variable that sets {@link #maxBytes} for the CLI. */
    public static final String MAX_BYTES_ENV = "GOLEM_SANDBOX_MAX_IMAGE_BYTES";
    /** The environment variable that sets {@link #maxEntries} for the CLI. */
    public static final String MAX_ENTRIES_ENV = "GOLEM_SANDBOX_MAX_IMAGE_ENTRIES";

    /** @throws IllegalArgumentException for a limit that is not positive */
    public ExtractionLimits {
        if (maxBytes <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("image extraction limits must be positive (bytes " + maxBytes + ", entries " + maxEntries + ")");
        }
    }
}
