package dev.golemsandbox.payment;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An allocation as the Payment API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AllocationView(String allocationId, String address, String paymentPlatform, String totalAmount,
                             String spentAmount, String remainingAmount, String timestamp, String timeout,
                             boolean makeDeposit) {
}
