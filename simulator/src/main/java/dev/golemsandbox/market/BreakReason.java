package dev.golemsandbox.market;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The reasons a provider breaks an agreement, worded and coded as ya-provider words them in the
 * {@link Reason} of the {@code AgreementTerminatedEvent} ({@code message} from its Rust display
 * formats, {@code golem.provider.code} its variant name), so a requestor's handling of them is
 * tried against what the network sends.
 */
public final class BreakReason {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private BreakReason() {
    }

    /** No activity ran under the agreement for {@code within}. */
    public static Reason noActivity(Duration within) {
        return new Reason("No activity created within " + debug(within), "NoActivity");
    }

    /** The demand's {@code golem.srv.comp.expiration} passed. */
    public static Reason expired(Instant expiration) {
        return new Reason("Agreement expired @ " + chrono(expiration), "Expired");
    }

    /** A debit note was not accepted within the agreed accept-timeout. */
    public static Reason debitNotesDeadline(Duration acceptTimeout) {
        return new Reason("Requestor isn't accepting DebitNotes in time (" + humantime(acceptTimeout) + ")", "DebitNotesDeadline");
    }

    /** The requestor rejected a debit note, with the Rejection it sent. */
    public static Reason debitNoteRejected(String rejectionReason, BigDecimal totalAmountAccepted, String message) {
        return new Reason("Requestor rejected the debit note: Rejection { rejection_reason: " + rejectionReason
                + ", total_amount_accepted: BigDecimal(\"" + totalAmountAccepted.stripTrailingZeros().toPlainString() + "\"), message: "
                + (message == null ? "None" : "Some(\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\")") + " }",
                "DebitNoteRejected");
    }

    /** The requestor was not heard from for {@code silence}. */
    public static Reason requestorUnreachable(Duration silence) {
        return new Reason("Requestor is unreachable more than " + humantime(silence), "RequestorUnreachable");
    }

    /** Rust's {@code Debug} of a {@code std::time::Duration}: {@code 90s}, {@code 1.5s}, {@code 500ms}. */
    static String debug(Duration d) {
        if (d.toSeconds() > 0) {
            return plain(BigDecimal.valueOf(d.toNanos()).movePointLeft(9)) + "s";
        }
        if (d.toNanos() >= 1_000_000) {
            return plain(BigDecimal.valueOf(d.toNanos()).movePointLeft(6)) + "ms";
        }
        if (d.toNanos() >= 1_000) {
            return plain(BigDecimal.valueOf(d.toNanos()).movePointLeft(3)) + "µs";
        }
        return d.toNanos() + "ns";
    }

    /** humantime's {@code format_duration}: {@code 4m}, {@code 1m 30s}, {@code 1h 1m 1s 500ms}. */
    static String humantime(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        long[] amounts = {d.toDaysPart(), d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart(), d.toMillisPart(),
                (d.getNano() / 1000) % 1000, d.getNano() % 1000};
        String[] units = {"day", "h", "m", "s", "ms", "us", "ns"};
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < amounts.length; i++) {
            if (amounts[i] > 0) {
                parts.add(amounts[i] + (i == 0 ? (amounts[i] == 1 ? "day" : "days") : units[i]));
            }
        }
        return String.join(" ", parts);
    }

    /** chrono's display of a {@code DateTime<Utc>}: {@code 2024-05-01 10:00:00.123 UTC}. */
    static String chrono(Instant t) {
        int nanos = t.getNano();
        String fraction = nanos == 0 ? "" : nanos % 1_000_000 == 0 ? String.format(".%03d", nanos / 1_000_000)
                : nanos % 1000 == 0 ? String.format(".%06d", nanos / 1000) : String.format(".%09d", nanos);
        return DATE_TIME.format(t) + fraction + " UTC";
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
