package dev.golemsandbox.payment;

import dev.golemsandbox.http.IsoTime;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A provider's invoice for a terminated agreement, as the provider issued it: one amount for all
 * the activities that ran under it. Providers send it to the requestor's {@link DocumentInbox}.
 *
 * <pre>{@code
 * inbox.invoiceReceived(new Invoice(UUID.randomUUID().toString(), parties, agreementId, activityIds, amount,
 *         now, now.plus(Duration.ofDays(1)), appSessionId));
 * }</pre>
 *
 * @param id           the invoice's id
 * @param parties      who pays whom, on which platform
 * @param agreementId  the agreement
 * @param activityIds  every activity that ran under it, in order
 * @param amount       GLM due
 * @param timestamp    when it was issued
 * @param dueDate      when it must be paid
 * @param appSessionId the app session of the agreement, whose {@code /invoiceEvents} announce it
 */
public record Invoice(String id, Parties parties, String agreementId, List<String> activityIds, BigDecimal amount,
                      Instant timestamp, Instant dueDate, String appSessionId) {

    public Invoice {
        activityIds = List.copyOf(activityIds);
    }

    InvoiceView view(DocumentStatus status) {
        return new InvoiceView(id, parties.issuerId(), parties.recipientId(), parties.payeeAddr(), parties.payerAddr(),
                parties.platform(), IsoTime.format(timestamp), agreementId, activityIds, Amounts.format(amount),
                IsoTime.format(dueDate), status.name());
    }
}
