package dev.golemsandbox.payment;

/** A debit note or invoice the requestor received, with what it did with it so far. Guarded by the payment lock. */
final class ReceivedDocument<D> {

    final D document;
    DocumentStatus status = DocumentStatus.RECEIVED;

    ReceivedDocument(D document) {
        this.document = document;
    }
}
