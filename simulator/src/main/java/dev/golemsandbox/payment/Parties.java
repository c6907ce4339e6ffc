package dev.golemsandbox.payment;

/**
 * Who pays whom, and on which platform, as a debit note or invoice states it.
 *
 * @param issuerId    the provider's node id
 * @param recipientId the requestor's node id
 * @param payeeAddr   the provider's address on the platform
 * @param payerAddr   the requestor's address on the platform
 * @param platform    e.g. {@code erc20-holesky-tglm}
 */
public record Parties(String issuerId, String recipientId, String payeeAddr, String payerAddr, String platform) {
}
