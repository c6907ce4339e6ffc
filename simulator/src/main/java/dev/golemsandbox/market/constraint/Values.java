package dev.golemsandbox.market.constraint;

import java.util.List;
import java.util.stream.Collectors;

/** Property values written for people, as near-miss messages show them: strings quoted, lists in brackets. */
final class Values {

    private Values() {
    }

    static String show(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Values::show).collect(Collectors.joining(",", "[", "]"));
        }
        return value.toString();
    }
}
