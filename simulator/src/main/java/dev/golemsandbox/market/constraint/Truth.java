package dev.golemsandbox.market.constraint;

/**
 * The value of a constraint against a property set, in yagna's three-valued logic: a comparison
 * on a property the other side does not have is UNDEFINED, and only TRUE counts as a match.
 */
public enum Truth {
    TRUE, FALSE, UNDEFINED
}
