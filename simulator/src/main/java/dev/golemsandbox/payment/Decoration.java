package dev.golemsandbox.payment;

import java.util.List;

/**
 * What {@code /demandDecorations} adds to a demand so providers can be paid: the requestor's
 * address on each allocation's platform and the payment protocol version, and constraints
 * requiring the same of the offer, one {@code (key OP value)} clause each.
 */
public record Decoration(List<MarketProperty> properties, List<String> constraints) {

    /** One property, value as a string. */
    public record MarketProperty(String key, String value) {
    }
}
