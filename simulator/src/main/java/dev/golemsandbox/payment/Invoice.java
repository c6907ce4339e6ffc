package dev.golemsandbox.payment;

import dev.golemsandbox.http.IsoTime;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A provider's invoice for a terminated agreement. Guarded by the payment lock. */
final class Invoice {

    final String id;
    final Parties parties;
    final String agreementId;
    final List<String> activityIds;
    final BigDecimal amount;
    final Instant timestamp;
    final Instant dueDate;
    final String appSessionId;
    DocumentStatus status = DocumentStatus.RECEIVED;

    Invoice(String id, Parties parties, String agreementId, List<String> activityIds, BigDecimal amount,
            Instant timestamp, Instant dueDate, String appSessionId) {
        this.id = id;
        this.parties = parties;
        this.agreementId = agreementId;
        this.activityIds = List.copyOf(activityIds);
        this.amount = amount;
        this.timestamp = timestamp;
        this.dueDate = dueDate;
        this.appSessionId = appSessionId;
    }

    InvoiceView view() {
        return new InvoiceView(id, parties.issuerId(), parties.recipientId(), parties.payeeAddr(), parties.payerAddr(),
                parties.platform(), IsoTime.format(timestamp), agreementId, activityIds, Amounts.format(amount),
                IsoTime.format(dueDate), status.name());
    }
}
