package dev.golemsandbox.market.constraint;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A parsed market constraint: the LDAP-like filter of yagna ({@code (&(a=1)(|(b>2)(!(c=*))))}).
 * {@link #evaluate} resolves it against the other side's properties in three-valued logic and says
 * which clause failed and why. {@link #toString} gives the canonical text.
 *
 * <pre>{@code
 * Constraint c = ConstraintParser.parse("(&(golem.runtime.name=vm)(golem.inf.mem.gib>=0.5))");
 * Verdict v = c.evaluate(PropertySet.of(offerProperties));
 * if (!v.holds()) System.out.println(v.clause() + ": " + v.reason());
 * }</pre>
 */
public sealed interface Constraint permits Constraint.All, Constraint.Any, Constraint.Not, Constraint.Compare, Constraint.Present {

    /** The value of this constraint for {@code properties}, with the near miss when it does not hold. */
    Verdict evaluate(PropertySet properties);

    /** The comparison operators: {@code = <> < <= > >=}. */
    enum Operator {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /** {@code (&...)}: holds when every term holds; {@code (&)} and {@code ()} always hold. */
    record All(List<Constraint> terms) implements Constraint {
        public All {
            terms = List.copyOf(terms);
        }

        @Override
        public Verdict evaluate(PropertySet properties) {
            Verdict undefined = null;
            for (Constraint term : terms) {
                Verdict v = term.evaluate(properties);
                if (v.truth() == Truth.FALSE) {
                    return v;
                }
                if (v.truth() == Truth.UNDEFINED && undefined == null) {
                    undefined = v;
                }
            }
            return undefined != null ? undefined : Verdict.HOLDS;
        }

        @Override
        public String toString() {
            return terms.stream().map(Object::toString).collect(Collectors.joining("", "(&", ")"));
        }
    }

    /** {@code (|...)}: holds when any term holds; {@code (|)} never holds. */
    record Any(List<Constraint> terms) implements Constraint {
        public Any {
            terms = List.copyOf(terms);
        }

        @Override
        public Verdict evaluate(PropertySet properties) {
            List<Verdict> misses = new ArrayList<>();
            boolean undefined = false;
            for (Constraint term : terms) {
                Verdict v = term.evaluate(properties);
                if (v.holds()) {
                    return Verdict.HOLDS;
                }
                misses.add(v);
                undefined |= v.truth() == Truth.UNDEFINED;
            }
            if (misses.isEmpty()) {
                return new Verdict(Truth.FALSE, toString(), null, null, "an empty OR never holds");
            }
            String reason = misses.stream().map(m -> m.clause() + ": " + m.reason())
                    .collect(Collectors.joining("; ", "no alternative holds: ", ""));
            Verdict first = misses.get(0);
            return new Verdict(undefined ? Truth.UNDEFINED : Truth.FALSE, toString(), first.property(), first.seen(), reason);
        }

        @Override
        public String toString() {
            return terms.stream().map(Object::toString).collect(Collectors.joining("", "(|", ")"));
        }
    }

    /** {@code (!x)}: holds when x is false; stays undefined when x is undefined. */
    record Not(Constraint term) implements Constraint {
        @Override
        public Verdict evaluate(PropertySet properties) {
            Verdict inner = term.evaluate(properties);
            if (inner.truth() != Truth.TRUE) {
                return inner.truth() == Truth.FALSE ? Verdict.HOLDS : inner;
            }
            String property = term instanceof Compare c ? c.property() : term instanceof Present p ? p.property() : null;
            Object seen = property == null ? null : properties.get(property);
            String reason = "the negated clause " + term + " holds"
                    + (property == null ? "" : " (" + property + " is " + Values.show(seen) + ")");
            return new Verdict(Truth.FALSE, toString(), property, seen, reason);
        }

        @Override
        public String toString() {
            return "(!" + term + ")";
        }
    }

    /** {@code (name OP literal)}: undefined when the property is absent. */
    record Compare(String property, Operator op, String literal) implements Constraint {
        @Override
        public Verdict evaluate(PropertySet properties) {
            if (!properties.has(property)) {
                return new Verdict(Truth.UNDEFINED, toString(), property, null, property + " is absent");
            }
            Object value = properties.get(property);
            if (PropertyComparison.holds(value, op, literal)) {
                return Verdict.HOLDS;
            }
            return new Verdict(Truth.FALSE, toString(), property, value,
                    property + " is " + Values.show(value) + ", not " + op.symbol() + " " + literal);
        }

        @Override
        public String toString() {
            return "(" + property + op.symbol() + literal + ")";
        }
    }

    /** {@code (name=*)}: holds when the property is there. */
    record Present(String property) implements Constraint {
        @Override
        public Verdict evaluate(PropertySet properties) {
            return properties.has(property) ? Verdict.HOLDS
                    : new Verdict(Truth.FALSE, toString(), property, null, property + " is absent");
        }

        @Override
        public String toString() {
            return "(" + property + "=*)";
        }
    }
}
