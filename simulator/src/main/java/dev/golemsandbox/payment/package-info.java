/**
 * The requestor's side of payments: allocations, the debit notes and invoices providers send to
 * its {@link dev.golemsandbox.payment.DocumentInbox}, accepting or rejecting them, and the event
 * feeds announcing them ({@link dev.golemsandbox.payment.Payment}, with its HTTP layer
 * {@link dev.golemsandbox.payment.PaymentComponent}). Who bills what is the providers' business.
 */
package dev.golemsandbox.payment;
