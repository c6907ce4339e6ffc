package dev.golemsandbox.market;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The reasons read as ya-provider writes them: Rust's Duration debug, humantime, chrono's UTC date. */
class BreakReasonTest {

    @Test
    void messagesAndCodesAreYaProvidersOwn() {
        assertThat(BreakReason.noActivity(Duration.ofSeconds(90))).isEqualTo(new Reason("No activity created within 90s", "NoActivity"));
        assertThat(BreakReason.debitNotesDeadline(Duration.ofSeconds(240)))
                .isEqualTo(new Reason("Requestor isn't accepting DebitNotes in time (4m)", "DebitNotesDeadline"));
        assertThat(BreakReason.requestorUnreachable(Duration.ofSeconds(90)))
                .isEqualTo(new Reason("Requestor is unreachable more than 1m 30s", "RequestorUnreachable"));
        assertThat(BreakReason.expired(Instant.parse("2026-12-02T01:02:03.456Z")))
                .isEqualTo(new Reason("Agreement expired @ 2026-12-02 01:02:03.456 UTC", "Expired"));
        assertThat(BreakReason.debitNoteRejected("IncorrectAmount", new BigDecimal("0.500"), null).message())
                .isEqualTo("Requestor rejected the debit note: Rejection { rejection_reason: IncorrectAmount, "
                        + "total_amount_accepted: BigDecimal(\"0.5\"), message: None }");
    }

    @Test
    void durationsAsRustAndHumantimePrintThem() {
        assertThat(BreakReason.debug(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(BreakReason.debug(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(BreakReason.humantime(Duration.ofSeconds(3661).plusMillis(5))).isEqualTo("1h 1m 1s 5ms");
        assertThat(BreakReason.humantime(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(BreakReason.chrono(Instant.parse("2026-12-02T01:02:03Z"))).isEqualTo("2026-12-02 01:02:03 UTC");
    }
}
