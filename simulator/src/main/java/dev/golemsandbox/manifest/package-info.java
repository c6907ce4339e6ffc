/**
 * Computation manifests and the outbound rules a provider judges them by: a demand's
 * {@code golem.srv.comp.payload} decoded and checked ({@link dev.golemsandbox.manifest.DemandManifest},
 * {@link dev.golemsandbox.manifest.ManifestDecoder}), its signature
 * ({@link dev.golemsandbox.manifest.ManifestSignature}), and ya-provider's outbound rules
 * ({@link dev.golemsandbox.manifest.OutboundRules}: enabled, {@code everyone}, {@code audited-payload},
 * {@code partner}, over a {@link dev.golemsandbox.manifest.DomainWhitelist}).
 *
 * <p>Pure logic on untrusted input: no I/O, no knowledge of the market or the providers; every
 * problem with a requestor's manifest is an {@link dev.golemsandbox.manifest.InvalidManifestException}.
 */
package dev.golemsandbox.manifest;
