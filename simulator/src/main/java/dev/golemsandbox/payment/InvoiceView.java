package dev.golemsandbox.payment;

import java.util.List;

/** An invoice as {@code GET /invoices/{id}} shows it. */
public record InvoiceView(String invoiceId, String issuerId, String recipientId, String payeeAddr, String payerAddr,
                          String paymentPlatform, String timestamp, String agreementId, List<String> activityIds,
                          String amount, String paymentDueDate, String status) {
}
