package dev.golemsandbox.market.constraint;

/**
 * The outcome of evaluating a constraint, with the reason when it does not hold: the clause that
 * failed and the value the property had (the "near miss" shown to users).
 *
 * @param truth   the outcome
 * @param clause  the failing clause, e.g. {@code (golem.inf.mem.gib>=8)}; null when TRUE
 * @param property the property the failing clause looked at, or null (e.g. an empty OR)
 * @param seen    the value that property had, or null when absent
 * @param reason  one line on why, e.g. {@code golem.inf.mem.gib is 1.0, not >= 8}; null when TRUE
 */
public record Verdict(Truth truth, String clause, String property, Object seen, String reason) {

    public static final Verdict HOLDS = new Verdict(Truth.TRUE, null, null, null, null);

    public boolean holds() {
        return truth == Truth.TRUE;
    }
}
