package dev.golemsandbox.payment;

import dev.golemsandbox.http.IsoTime;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A provider's debit note for a running activity, as the provider issued it: the total due so far
 * under the agreed price, and the usage counters it was priced from. Providers send it to the
 * requestor's {@link DocumentInbox}.
 *
 * <pre>{@code
 * inbox.debitNoteReceived(new DebitNote(UUID.randomUUID().toString(), parties, agreementId, activityId, previousId,
 *         totalDue, List.of(cpuSeconds, durationSeconds), now, now.plus(paymentTimeout), appSessionId));
 * }</pre>
 *
 * @param id           the debit note's id
 * @param parties      who pays whom, on which platform
 * @param agreementId  the agreement the activity runs under
 * @param activityId   the activity
 * @param previousId   the activity's previous debit note, or null for its first
 * @param totalDue     GLM due for the activity so far
 * @param counters     the usage counters, in the order of the agreed usage vector
 * @param timestamp    when it was issued
 * @param dueDate      when it must be paid (mid-agreement payments), or null if it need not be
 * @param appSessionId the app session of the agreement, whose {@code /debitNoteEvents} announce it
 */
public record DebitNote(String id, Parties parties, String agreementId, String activityId, String previousId,
                        BigDecimal totalDue, List<Double> counters, Instant timestamp, Instant dueDate, String appSessionId) {

    public DebitNote {
        counters = List.copyOf(counters);
    }

    DebitNoteView view(DocumentStatus status) {
        return new DebitNoteView(id, parties.issuerId(), parties.recipientId(), parties.payeeAddr(), parties.payerAddr(),
                parties.platform(), previousId, IsoTime.format(timestamp), agreementId, activityId,
                Amounts.format(totalDue), counters, dueDate == null ? null : IsoTime.format(dueDate), status.name());
    }
}
