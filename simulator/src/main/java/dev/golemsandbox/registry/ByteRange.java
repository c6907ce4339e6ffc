package dev.golemsandbox.registry;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a download ({@code Range: bytes=first-last}, {@code bytes=first-},
 * {@code bytes=-suffix}), resolved against the file size; {@code last} is inclusive.
 */
record ByteRange(long first, long last) {

    private static final Pattern SINGLE = Pattern.compile("bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*");

    long length() {
        return last - first + 1;
    }

    /** {@code bytes first-last/size}, the Content-Range of a 206 answer. */
    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * The range a {@code Range} header asks for; empty when there is none or it lists several
     * ranges (then the whole file is sent, as HTTP allows).
     *
     * @throws RegistryApiException (416) for a range that is malformed or starts past the end
     */
    static Optional<ByteRange> parse(String header, long size) {
        if (header == null || header.isBlank() || header.contains(",")) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            throw unsatisfiable(header, size);
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw unsatisfiable(header, size);
                }
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (first >= size || first > last) {
                throw unsatisfiable(header, size);
            }
            return Optional.of(new ByteRange(first, last));
        } catch (NumberFormatException e) {
            throw unsatisfiable(header, size);
        }
    }

    private static RegistryApiException unsatisfiable(String header, long size) {
        return new RegistryApiException(416, "the range '" + header.trim() + "' cannot be served from a " + size + "-byte image",
                "bytes */" + size);
    }
}
