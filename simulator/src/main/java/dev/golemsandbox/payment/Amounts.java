package dev.golemsandbox.payment;

import java.math.BigDecimal;

/** GLM amounts as the Payment API writes them: decimal strings without exponent or trailing zeros ("0.0125", "0"). */
final class Amounts {

    private Amounts() {
    }

    static String format(BigDecimal amount) {
        return amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
    }

    /**
     * Whether an amount a client accepted is the amount asked for. Clients in JavaScript round
     * amounts to a double ({@code 0.000030555555555555556} becomes {@code 3.0555555555555556e-5}), so
     * a relative difference below 1e-9 counts as equal.
     */
    static boolean same(BigDecimal accepted, BigDecimal asked) {
        BigDecimal scale = asked.abs().max(new BigDecimal("1e-18"));
        return accepted.subtract(asked).abs().compareTo(scale.multiply(new BigDecimal("1e-9"))) <= 0;
    }
}
