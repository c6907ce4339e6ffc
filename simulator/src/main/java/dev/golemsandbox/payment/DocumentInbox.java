package dev.golemsandbox.payment;

/**
 * Where the providers' debit notes and invoices reach the requestor. Implemented by
 * {@link Payment}, which stores each document before announcing it on {@code /debitNoteEvents} or
 * {@code /invoiceEvents}, so every event can be followed by a GET.
 *
 * <pre>{@code
 * DocumentInbox requestor = payment;
 * requestor.invoiceReceived(invoice);
 * }</pre>
 *
 * Thread-safe.
 */
public interface DocumentInbox {

    /** A debit note arrives; a second one with the same id is ignored. */
    void debitNoteReceived(DebitNote note);

    /** An invoice arrives; a second one with the same id is ignored. */
    void invoiceReceived(Invoice invoice);
}
