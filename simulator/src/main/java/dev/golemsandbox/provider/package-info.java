/**
 * The simulated provider nodes, everything a provider does: their configuration
 * ({@link dev.golemsandbox.provider.ProviderSpec}, {@link dev.golemsandbox.provider.ProvidersFile}),
 * the offers they publish, their decisions on the market ({@link dev.golemsandbox.provider.StandardPolicy},
 * an implementation of the market's {@link dev.golemsandbox.market.ProviderPolicy}) and their billing
 * ({@link dev.golemsandbox.provider.ProviderBilling}, which sends debit notes and invoices to the
 * requestor's {@link dev.golemsandbox.payment.DocumentInbox}).
 *
 * <p>A provider that behaves differently (a fault to inject, another provider kind) is another
 * {@code ProviderPolicy} given to that one node through {@code SandboxServer.Builder.policies}, or
 * another billing listener; the market and payment need not change.
 */
package dev.golemsandbox.provider;
