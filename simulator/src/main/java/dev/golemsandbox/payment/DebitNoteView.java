package dev.golemsandbox.payment;

import java.util.List;

/** A debit note as {@code GET /debitNotes/{id}} shows it; {@code usageCounterVector} follows the offer's usage vector. */
public record DebitNoteView(String debitNoteId, String issuerId, String recipientId, String payeeAddr, String payerAddr,
                            String paymentPlatform, String previousDebitNoteId, String timestamp, String agreementId,
                            String activityId, String totalAmountDue, List<Double> usageCounterVector,
                            String paymentDueDate, String status) {
}
