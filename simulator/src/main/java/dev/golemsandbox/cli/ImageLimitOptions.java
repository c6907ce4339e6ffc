package dev.golemsandbox.cli;

import dev.golemsandbox.http.UserError;
import dev.golemsandbox.image.ExtractionLimits;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How much a converted image may unpack to ({@code image convert} and {@code image build}), so that
 * a compression bomb is refused instead of filling the disk. Used as a picocli mixin; the flags
 * default from the environment.
 */
final class ImageLimitOptions {

    @Option(names = "--max-image-bytes", paramLabel = "SIZE",
            description = "Refuse an image whose layers unpack to more than SIZE (sparse files at their full size), e.g. 8g or 512m;"
                    + " a bare number is bytes. Default: $" + ExtractionLimits.MAX_BYTES_ENV + " or 32g.")
    String maxBytes;

    @Option(names = "--max-image-entries", paramLabel = "N",
            description = "Refuse an image whose layers hold more than N entries. Default: $" + ExtractionLimits.MAX_ENTRIES_ENV
                    + " or 2000000.")
    String maxEntries;

    ExtractionLimits limits() {
        return limits(System.getenv());
    }

    ExtractionLimits limits(Map<String, String> env) {
        long bytes = ExtractionLimits.DEFAULTS.maxBytes();
        long entries = ExtractionLimits.DEFAULTS.maxEntries();
        String bytesValue = maxBytes != null ? maxBytes : env.get(ExtractionLimits.MAX_BYTES_ENV);
        if (bytesValue != null && !bytesValue.isBlank()) {
            bytes = positive(maxBytes != null ? "--max-image-bytes" : ExtractionLimits.MAX_BYTES_ENV, bytesValue, true);
        }
        String entriesValue = maxEntries != null ? maxEntries : env.get(ExtractionLimits.MAX_ENTRIES_ENV);
        if (entriesValue != null && !entriesValue.isBlank()) {
            entries = positive(maxEntries != null ? "--max-image-entries" : ExtractionLimits.MAX_ENTRIES_ENV, entriesValue, false);
        }
        return new ExtractionLimits(bytes, entries);
    }

    /** A positive count; with {@code size}, a k/m/g/t suffix (binary units) is allowed. */
    private static long positive(String source, String value, boolean size) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        int shift = 0;
        if (size) {
            v = v.replaceAll("i?b$", "");
            int unit = v.isEmpty() ? -1 : "kmgt".indexOf(v.charAt(v.length() - 1));
            if (unit >= 0) {
                shift = 10 * (unit + 1);
                v = v.substring(0, v.length() - 1);
            }
        }
        try {
            long n = Long.parseLong(v);
            if (n > 0 && n <= Long.MAX_VALUE >> shift) {
                return n << shift;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new UserError(UserError.BAD_INPUT, source + " " + value + " is not " + (size ? "a size" : "a positive number"),
                size ? "write it like 512m or 8g" : "write it like 500000");
    }
}
