package dev.golemsandbox.market;

import java.math.BigDecimal;
import java.util.List;

/** A simulated provider as {@code /_sandbox/info} shows it. */
public record ProviderStatus(String name, String nodeId, int cores, int threads, double memGib, double storageGib,
                             int capacity, int inUse, List<BigDecimal> priceCoeffs, String subnet, String offerId,
                             List<String> agreements, List<String> capabilities) {
}
