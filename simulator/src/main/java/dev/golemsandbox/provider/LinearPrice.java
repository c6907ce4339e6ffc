package dev.golemsandbox.provider;

import dev.golemsandbox.activity.ActivityUsage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;

/**
 * The price of an activity under an agreement, read from what was agreed: the usage vector and
 * {@code golem.com.pricing.model.linear.coeffs} of the offer (one coefficient per counter, then
 * the start price). Counters the sandbox does not measure count as zero.
 */
final class LinearPrice {

    private final List<String> usageVector;
    private final List<BigDecimal> coeffs;

    private LinearPrice(List<String> usageVector, List<BigDecimal> coeffs) {
        this.usageVector = usageVector;
        this.coeffs = coeffs;
    }

    /** The price agreed in {@code offerProperties} for {@code usageVector}, or {@code fallback} if they do not state a usable one. */
    static LinearPrice of(Map<String, Object> offerProperties, List<String> usageVector, Pricing fallback) {
        if (offerProperties.get("golem.com.pricing.model.linear.coeffs") instanceof List<?> values
                && values.size() == usageVector.size() + 1) {
            try {
                return new LinearPrice(usageVector, values.stream().map(v -> new BigDecimal(v.toString())).toList());
            } catch (NumberFormatException e) {
                // fall through to the provider's configured price
            }
        }
        return new LinearPrice(Pricing.USAGE_VECTOR, fallback.coeffs());
    }

    /** The counters of {@code usage} in the order of the usage vector. */
    List<Double> counters(ActivityUsage usage) {
        return usageVector.stream().map(usage::counter).toList();
    }

    /** start + sum of coefficient x counter. */
    BigDecimal priceOf(ActivityUsage usage) {
        BigDecimal total = coeffs.get(coeffs.size() - 1);
        List<Double> counters = counters(usage);
        for (int i = 0; i < counters.size(); i++) {
            total = total.add(coeffs.get(i).multiply(BigDecimal.valueOf(counters.get(i))));
        }
        return total.round(MathContext.DECIMAL64);
    }
}
