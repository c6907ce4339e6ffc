package dev.golemsandbox.payment;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An event of {@code /invoiceEvents} ({@code InvoiceReceivedEvent} with {@code invoiceId}) or
 * {@code /debitNoteEvents} ({@code DebitNoteReceivedEvent} with {@code debitNoteId}). Only
 * "received" events reach the requestor: golem-js fetches the document of every event it gets and
 * treats a second invoice of an agreement as fraud.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaymentEvent(String eventType, String eventDate, String invoiceId, String debitNoteId) {

    static PaymentEvent invoiceReceived(String eventDate, String invoiceId) {
        return new PaymentEvent("InvoiceReceivedEvent", eventDate, invoiceId, null);
    }

    static PaymentEvent debitNoteReceived(String eventDate, String debitNoteId) {
        return new PaymentEvent("DebitNoteReceivedEvent", eventDate, null, debitNoteId);
    }
}
