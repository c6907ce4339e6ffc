package dev.golemsandbox.payment;

/**
 * The status of an invoice or debit note on the requestor's side. Documents arrive RECEIVED; an
 * ACCEPTED one can no longer be rejected; a REJECTED one may still be accepted.
 */
enum DocumentStatus {
    RECEIVED, ACCEPTED, REJECTED
}
