package dev.golemsandbox.http;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;

/**
 * The query parameters of yagna's long-poll calls, read the way clients send them: {@code timeout}
 * in seconds, possibly fractional ({@code 5}, {@code 0.5}); {@code maxEvents} 1..100;
 * {@code afterTimestamp} an ISO date-time; {@code appSessionId} an opaque string.
 *
 * @param timeout        how long to hold the request when there is nothing to return
 * @param maxEvents      at most this many events in one answer
 * @param after          only events strictly after this instant, or null for all
 * @param appSessionId   only events of this session, or null for all
 */
public record LongPoll(Duration timeout, int maxEvents, Instant after, String appSessionId) {

    /** A longer hold than this is cut to it, so a forgotten request does not pin a waiter for hours. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    /** Reads the parameters, with yagna's defaults: timeout 5 s, maxEvents 10. */
    public static LongPoll of(Context ctx) {
        return new LongPoll(
                timeout(ctx, "timeout", Duration.ofSeconds(5)),
                maxEvents(ctx),
                afterTimestamp(ctx),
                blankToNull(ctx.queryParam("appSessionId")));
    }

    /**
     * A {@code timeout}-style query parameter in seconds (fractional allowed), or {@code fallback}.
     *
     * @throws ApiException.BadRequest if it is not a non-negative number
     */
    public static Duration timeout(Context ctx, String name, Duration fallback) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        double seconds;
        try {
            seconds = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new ApiException.BadRequest(name + " must be a number of seconds such as 5 or 0.5, got '" + text + "'");
        }
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new ApiException.BadRequest(name + " must be a non-negative number of seconds, got '" + text + "'");
        }
        Duration duration = Duration.ofNanos((long) Math.min(seconds * 1e9, MAX_TIMEOUT.toNanos()));
        return duration.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : duration;
    }

    private static int maxEvents(Context ctx) {
        String text = ctx.queryParam("maxEvents");
        if (text == null || text.isBlank()) {
            return 10;
        }
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new ApiException.BadRequest("maxEvents must be an integer from 1 to 100, got '" + text + "'");
        }
        if (value < 1) {
            throw new ApiException.BadRequest("maxEvents must be an integer from 1 to 100, got " + value);
        }
        return Math.min(value, 100);
    }

    private static Instant afterTimestamp(Context ctx) {
        String text = ctx.queryParam("afterTimestamp");
        return text == null || text.isBlank() ? null : IsoTime.parse("afterTimestamp", text);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
