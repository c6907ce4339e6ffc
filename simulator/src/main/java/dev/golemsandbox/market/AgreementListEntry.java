package dev.golemsandbox.market;

/** One agreement in {@code GET /agreements}. */
public record AgreementListEntry(String id, String timestamp, String approvedDate, String role, String state) {
}
