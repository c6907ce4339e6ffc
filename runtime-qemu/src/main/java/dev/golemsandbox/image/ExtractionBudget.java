package dev.golemsandbox.image;

/**
 * What is left of the {@link ExtractionLimits} while one conversion unpacks its layers: every tar
 * entry, every byte of uncompressed tar data and the apparent size of every file are charged here,
 * and the first charge over a limit is refused with a message that says how to raise it.
 */
final class ExtractionBudget {

    private final ExtractionLimits limits;
    private long entries;
    private long fileBytes;
    private long tarBytes;
    private ImageConversionException refusal;

    ExtractionBudget(ExtractionLimits limits) {
        this.limits = limits;
    }

    /** One more tar entry, {@code name}, in {@code layer}. */
    void chargeEntry(String layer, String name) throws ImageConversionException {
        if (++entries > limits.maxEntries()) {
            refuse(layer + ": refused entry '" + EntryPath.printable(name) + "': the image holds more than " + limits.maxEntries()
                    + " entries; if it really is that large, raise the limit with --max-image-entries or "
                    + ExtractionLimits.MAX_ENTRIES_ENV);
        }
    }

    /** A file of {@code apparentSize} bytes (holes included), {@code name}, in {@code layer}. */
    void chargeFile(String layer, String name, long apparentSize) throws ImageConversionException {
        fileBytes = saturatedAdd(fileBytes, apparentSize);
        if (fileBytes > limits.maxBytes()) {
            refuse(layer + ": refused entry '" + EntryPath.printable(name) + "': " + tooLarge());
        }
    }

    /** {@code n} more bytes of uncompressed tar data read from {@code layer}. */
    void chargeTarData(String layer, long n) throws ImageConversionException {
        tarBytes = saturatedAdd(tarBytes, n);
        if (tarBytes > limits.maxBytes()) {
            refuse(layer + ": " + tooLarge());
        }
    }

    /** The refusal already raised, if any: a reader that saw it wrapped in an I/O error reports it as is. */
    ImageConversionException refusal() {
        return refusal;
    }

    private String tooLarge() {
        return "the image unpacks to more than " + bytes(limits.maxBytes()) + "; if it really is that large, raise the limit with"
                + " --max-image-bytes or " + ExtractionLimits.MAX_BYTES_ENV;
    }

    private void refuse(String message) throws ImageConversionException {
        if (refusal == null) {
            refusal = new ImageConversionException(message);
        }
        throw refusal;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + Math.max(0, b);
        return sum < a ? Long.MAX_VALUE : sum;
    }

    /** "32 GiB", "512 MiB" or "1000 bytes". */
    static String bytes(long n) {
        if (n >= 1L << 30 && n % (1L << 30) == 0) {
            return (n >> 30) + " GiB";
        }
        if (n >= 1L << 20 && n % (1L << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        return n + " bytes";
    }
}
