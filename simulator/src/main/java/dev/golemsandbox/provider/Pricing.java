package dev.golemsandbox.provider;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/**
 * A provider's linear price, as {@code golem.com.pricing.model.linear.coeffs} carries it: GLM per
 * CPU second, per second of activity duration, and a start price per activity. The offer's
 * {@code golem.com.usage.vector} is {@code [golem.usage.cpu_sec, golem.usage.duration_sec]}, so
 * {@link #coeffs()} lists the coefficients in that order, then the start price.
 */
public record Pricing(BigDecimal perCpuSecond, BigDecimal perDurationSecond, BigDecimal start) {

    /** The names of the usage counters the coefficients apply to, in order. */
    public static final List<String> USAGE_VECTOR = List.of("golem.usage.cpu_sec", "golem.usage.duration_sec");

    private static final MathContext PRECISION = new MathContext(18, RoundingMode.HALF_EVEN);

    /** 0.1 GLM per CPU hour, 0.02 GLM per hour of duration, no start price: within golem-js's usual limits. */
    public static final Pricing DEFAULT = perHour(new BigDecimal("0.1"), new BigDecimal("0.02"), BigDecimal.ZERO);

    public Pricing {
        requireNonNegative("CPU price", perCpuSecond);
        requireNonNegative("duration price", perDurationSecond);
        requireNonNegative("start price", start);
    }

    /** Prices per hour, as golem-js's {@code maxCpuPerHourPrice} / {@code maxEnvPerHourPrice} are written. */
    public static Pricing perHour(BigDecimal cpuPerHour, BigDecimal durationPerHour, BigDecimal start) {
        BigDecimal hour = BigDecimal.valueOf(3600);
        return new Pricing(cpuPerHour.divide(hour, PRECISION), durationPerHour.divide(hour, PRECISION), start);
    }

    /** {@code [per cpu second, per duration second, start]}. */
    public List<BigDecimal> coeffs() {
        return List.of(perCpuSecond, perDurationSecond, start);
    }

    private static void requireNonNegative(String what, BigDecimal value) {
        if (value == null || value.signum() < 0) {
            throw new IllegalArgumentException(what + " must be zero or more, got " + value);
        }
    }
}
