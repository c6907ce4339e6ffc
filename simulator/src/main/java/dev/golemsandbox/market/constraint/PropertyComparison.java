package dev.golemsandbox.market.constraint;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * How one property value compares with the literal written in a constraint, following yagna's
 * resolver: strings compare exactly (with {@code *} wildcards in the literal for {@code =}) or in
 * order; numbers compare as numbers; a list equals a literal it contains, or a list literal
 * {@code [a,b]} with the same items; booleans equal {@code true}/{@code false}. A literal that
 * cannot be read as the property's type makes the comparison false. Where yagna would compare two
 * numeric strings as text ("10" < "9"), the sandbox compares them as numbers.
 */
final class PropertyComparison {

    private PropertyComparison() {
    }

    static boolean holds(Object property, Constraint.Operator op, String literal) {
        return switch (op) {
            case EQ -> equal(property, literal);
            case NE -> !equal(property, literal);
            case LT -> ordered(property, literal, c -> c < 0);
            case LE -> ordered(property, literal, c -> c <= 0);
            case GT -> ordered(property, literal, c -> c > 0);
            case GE -> ordered(property, literal, c -> c >= 0);
        };
    }

    private static boolean ordered(Object property, String literal, java.util.function.IntPredicate test) {
        Integer sign = order(property, literal);
        return sign != null && test.test(sign);
    }

    static boolean equal(Object property, String literal) {
        if (property == null) {
            return false;
        }
        if (property instanceof List<?> items) {
            List<String> wanted = listLiteral(literal);
            if (wanted != null) {
                return wanted.size() == items.size()
                        && wanted.stream().allMatch(w -> items.stream().anyMatch(item -> equal(item, w)));
            }
            return items.stream().anyMatch(item -> equal(item, literal));
        }
        if (property instanceof Boolean b) {
            return literal.trim().equalsIgnoreCase(b.toString());
        }
        if (property instanceof Number n) {
            BigDecimal value = decimal(n.toString());
            BigDecimal wanted = decimal(literal);
            return value != null && wanted != null && value.compareTo(wanted) == 0;
        }
        String text = property.toString();
        if (literal.indexOf('*') >= 0) {
            return glob(literal, text);
        }
        if (text.equals(literal)) {
            return true;
        }
        BigDecimal a = decimal(text);
        BigDecimal b = decimal(literal);
        return a != null && b != null && a.compareTo(b) == 0;
    }

    /** The sign of property - literal, or null when they cannot be ordered (lists, booleans, a non-number literal). */
    private static Integer order(Object property, String literal) {
        if (property instanceof Number n) {
            BigDecimal value = decimal(n.toString());
            BigDecimal wanted = decimal(literal);
            return value == null || wanted == null ? null : Integer.signum(value.compareTo(wanted));
        }
        if (property instanceof String text) {
            BigDecimal a = decimal(text);
            BigDecimal b = decimal(literal);
            if (a != null && b != null) {
                return Integer.signum(a.compareTo(b));
            }
            return Integer.signum(text.compareTo(literal));
        }
        return null;
    }

    private static BigDecimal decimal(String text) {
        String t = text.trim();
        if (t.isEmpty() || !(Character.isDigit(t.charAt(t.length() - 1)))) {
            return null;
        }
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The items of {@code [a, b, "c"]}, or null when {@code literal} is not a list. */
    private static List<String> listLiteral(String literal) {
        String t = literal.trim();
        if (t.length() < 2 || t.charAt(0) != '[' || t.charAt(t.length() - 1) != ']') {
            return null;
        }
        List<String> items = new ArrayList<>();
        String inner = t.substring(1, t.length() - 1).trim();
        if (inner.isEmpty()) {
            return items;
        }
        for (String part : inner.split(",")) {
            String item = part.trim();
            if (item.length() >= 2 && item.startsWith("\"") && item.endsWith("\"")) {
                item = item.substring(1, item.length() - 1);
            }
            items.add(item);
        }
        return items;
    }

    /** Whether {@code text} matches {@code pattern}, where each {@code *} stands for any run of characters. */
    static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
