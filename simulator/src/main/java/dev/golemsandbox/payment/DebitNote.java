package dev.golemsandbox.payment;

import dev.golemsandbox.http.IsoTime;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A provider's debit note for a running activity: the total due so far. Guarded by the payment lock. */
final class DebitNote {

    final String id;
    final Parties parties;
    final String agreementId;
    final String activityId;
    final String previousId;
    final BigDecimal totalDue;
    final List<Double> counters;
    final Instant timestamp;
    final Instant dueDate;
    final String appSessionId;
    DocumentStatus status = DocumentStatus.RECEIVED;

    DebitNote(String id, Parties parties, String agreementId, String activityId, String previousId, BigDecimal totalDue,
              List<Double> counters, Instant timestamp, Instant dueDate, String appSessionId) {
        this.id = id;
        this.parties = parties;
        this.agreementId = agreementId;
        this.activityId = activityId;
        this.previousId = previousId;
        this.totalDue = totalDue;
        this.counters = List.copyOf(counters);
        this.timestamp = timestamp;
        this.dueDate = dueDate;
        this.appSessionId = appSessionId;
    }

    DebitNoteView view() {
        return new DebitNoteView(id, parties.issuerId(), parties.recipientId(), parties.payeeAddr(), parties.payerAddr(),
                parties.platform(), previousId, IsoTime.format(timestamp), agreementId, activityId,
                Amounts.format(totalDue), counters, dueDate == null ? null : IsoTime.format(dueDate), status.name());
    }
}
