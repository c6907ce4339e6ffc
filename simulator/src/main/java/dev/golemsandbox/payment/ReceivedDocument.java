package dev.golemsandbox.payment;

import java.util.concurrent.CompletableFuture;

/** A debit note or invoice the requestor received, with what it did with it so far. Guarded by the payment lock. */
final class ReceivedDocument<D> {

    final D document;
    DocumentStatus status = DocumentStatus.RECEIVED;
    /** Completes with the requestor's first accept or reject. */
    final CompletableFuture<DocumentAnswer> answer = new CompletableFuture<>();

    ReceivedDocument(D document) {
        this.document = document;
    }
}
