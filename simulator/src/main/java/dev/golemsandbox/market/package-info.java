/**
 * The market: the requestor's demands, the negotiations on them ({@code Negotiations})
 * and the agreements they lead to ({@code AgreementBook}), behind the
 * {@link dev.golemsandbox.market.Market} facade and its HTTP layer
 * {@link dev.golemsandbox.market.MarketComponent}.
 *
 * <p>It knows providers only through what it defines itself: a {@link dev.golemsandbox.market.ProviderNode}
 * (who, which offer, how many slots, which runtime) and its {@link dev.golemsandbox.market.ProviderPolicy}
 * (the decisions the market asks for). Agreement changes go out to
 * {@link dev.golemsandbox.market.AgreementListener}s, such as the providers' billing.
 */
package dev.golemsandbox.market;
