package dev.golemsandbox.payment;

import java.math.BigDecimal;

/**
 * A requestor's rejection of a debit note or invoice, as the reject body of the Payment API carries
 * it: why ({@code rejectionReason}: {@code UnsolicitedService}, {@code BadService},
 * {@code IncorrectAmount}), how much it accepts nonetheless, and an optional message.
 */
public record Rejection(String rejectionReason, BigDecimal totalAmountAccepted, String message) {
}
