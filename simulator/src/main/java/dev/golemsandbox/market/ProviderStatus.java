package dev.golemsandbox.market;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A simulated provider as {@code /_sandbox/info} shows it; {@code timeouts} in seconds (see
 * {@link ProviderTimeouts#seconds()}); {@code outbound} its outbound rules in one line
 * ({@code everyone whitelist (18 domains)}, {@code disabled}).
 */
public record ProviderStatus(String name, String nodeId, int cores, int threads, double memGib, double storageGib,
                             int capacity, int inUse, List<BigDecimal> priceCoeffs, String subnet, String offerId,
                             List<String> agreements, List<String> capabilities, Map<String, Double> timeouts,
                             String outbound) {
}
