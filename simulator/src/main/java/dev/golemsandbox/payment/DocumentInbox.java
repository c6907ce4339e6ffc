package dev.golemsandbox.payment;

import java.util.concurrent.CompletableFuture;

/**
 * Where the providers' debit notes and invoices reach the requestor. Implemented by
 * {@link Payment}, which stores each document before announcing it on {@code /debitNoteEvents} or
 * {@code /invoiceEvents}, so every event can be followed by a GET.
 *
 * <pre>{@code
 * DocumentInbox requestor = payment;
 * requestor.invoiceReceived(invoice);
 * requestor.debitNoteReceived(note).thenAccept(answer -> ...);   // accepted, or rejected and why
 * }</pre>
 *
 * Thread-safe.
 */
public interface DocumentInbox {

    /**
     * A debit note arrives; a second one with the same id is ignored. The answer completes with
     * the requestor's first accept or reject of it (never, if it does neither), on a thread of
     * the requestor's request: hand slow work elsewhere.
     */
    CompletableFuture<DocumentAnswer> debitNoteReceived(DebitNote note);

    /** An invoice arrives; a second one with the same id is ignored. */
    void invoiceReceived(Invoice invoice);
}
