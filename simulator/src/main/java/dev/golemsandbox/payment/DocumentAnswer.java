package dev.golemsandbox.payment;

/**
 * The requestor's first answer to a document it received: accepted, or rejected with its
 * {@link Rejection}. The issuing provider learns it through the future
 * {@link DocumentInbox#debitNoteReceived} returns.
 */
public record DocumentAnswer(boolean accepted, Rejection rejection) {

    static final DocumentAnswer ACCEPTED = new DocumentAnswer(true, null);

    static DocumentAnswer rejected(Rejection rejection) {
        return new DocumentAnswer(false, rejection);
    }
}
