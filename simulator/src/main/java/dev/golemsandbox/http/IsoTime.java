package dev.golemsandbox.http;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Timestamps as the API writes and reads them: UTC, ISO-8601, microsecond precision
 * ({@code 2024-05-01T10:00:00.123456Z}). Reading accepts what clients echo back: our own format,
 * JavaScript's {@code toISOString()}, any offset, or no zone at all (taken as UTC).
 */
public final class IsoTime {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private IsoTime() {
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    /** The current instant, cut to the precision we write, so what we store equals what we print. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Parses a timestamp given by a caller in the query parameter or field {@code name}.
     *
     * @throws ApiException.BadRequest naming {@code name} if it is not an ISO-8601 date-time
     */
    public static Instant parse(String name, String text) {
        String trimmed = text.trim();
        try {
            return OffsetDateTime.parse(trimmed).toInstant();
        } catch (DateTimeParseException withOffset) {
            try {
                return LocalDateTime.parse(trimmed).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException withoutOffset) {
                throw new ApiException.BadRequest(name + " must be an ISO-8601 date-time such as 2024-05-01T10:00:00.000Z, got '" + text + "'");
            }
        }
    }
}
