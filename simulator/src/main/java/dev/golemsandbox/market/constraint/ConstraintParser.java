package dev.golemsandbox.market.constraint;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses yagna's constraint language:
 *
 * <pre>
 * filter  := '(' ( '&amp;' filter* | '|' filter* | '!' filter | property op value | property '=*' | ) ')'
 * op      := '=' | '&lt;&gt;' | '&lt;' | '&lt;=' | '&gt;' | '&gt;='
 * </pre>
 *
 * Whitespace and newlines may stand between clauses and after operators' opening parenthesis
 * (golem-js joins clauses with {@code "\n\t"}); a value runs verbatim up to the closing
 * parenthesis and may contain {@code *} wildcards or a list {@code [a,b]}. A blank text means no
 * constraint at all. Input size and nesting are bounded, so hostile input cannot exhaust the stack.
 */
public final class ConstraintParser {

    private static final int MAX_LENGTH = 64 * 1024;
    private static final int MAX_DEPTH = 128;

    private final String input;
    private int pos;

    private ConstraintParser(String input) {
        this.input = input;
    }

    /** The constraint {@code text} stands for. */
    public static Constraint parse(String text) throws ConstraintSyntaxException {
        if (text == null || text.isBlank()) {
            return new Constraint.All(List.of());
        }
        if (text.length() > MAX_LENGTH) {
            throw new ConstraintSyntaxException("constraints longer than " + MAX_LENGTH + " characters", text, MAX_LENGTH);
        }
        ConstraintParser parser = new ConstraintParser(text);
        parser.skipWhitespace();
        Constraint constraint = parser.filter(0);
        parser.skipWhitespace();
        if (parser.pos != text.length()) {
            throw parser.error("unexpected text after the end of the constraint");
        }
        return constraint;
    }

    private Constraint filter(int depth) throws ConstraintSyntaxException {
        if (depth >= MAX_DEPTH) {
            throw error("constraints nested deeper than " + MAX_DEPTH + " levels");
        }
        if (peek() != '(') {
            throw error(atEnd() ? "unexpected end of input: expected '('" : "expected '(' but found '" + peek() + "'");
        }
        pos++;
        skipWhitespace();
        if (atEnd()) {
            throw error("unexpected end of input: missing ')'");
        }
        switch (peek()) {
            case ')' -> {
                pos++;
                return new Constraint.All(List.of());
            }
            case '&' -> {
                pos++;
                return new Constraint.All(terms(depth));
            }
            case '|' -> {
                pos++;
                return new Constraint.Any(terms(depth));
            }
            case '!' -> {
                pos++;
                skipWhitespace();
                Constraint term = filter(depth + 1);
                skipWhitespace();
                expectClose();
                return new Constraint.Not(term);
            }
            default -> {
                return predicate();
            }
        }
    }

    private List<Constraint> terms(int depth) throws ConstraintSyntaxException {
        List<Constraint> terms = new ArrayList<>();
        while (true) {
            skipWhitespace();
            if (atEnd()) {
                throw error("unexpected end of input: missing ')'");
            }
            if (peek() == ')') {
                pos++;
                return terms;
            }
            terms.add(filter(depth + 1));
        }
    }

    private Constraint predicate() throws ConstraintSyntaxException {
        int start = pos;
        while (!atEnd() && "=<>~()".indexOf(peek()) < 0) {
            pos++;
        }
        String property = input.substring(start, pos).strip();
        if (property.isEmpty()) {
            throw error("expected a property name");
        }
        if (property.chars().anyMatch(Character::isWhitespace)) {
            throw new ConstraintSyntaxException("property name '" + property + "' contains whitespace", input, start);
        }
        if (atEnd()) {
            throw error("unexpected end of input after '" + property + "'");
        }
        Constraint.Operator op = operator(property);
        int valueStart = pos;
        while (!atEnd() && peek() != ')') {
            pos++;
        }
        if (atEnd()) {
            throw error("unexpected end of input: missing ')' after the value of '" + property + "'");
        }
        String value = input.substring(valueStart, pos);
        pos++;
        if (op == Constraint.Operator.EQ && value.strip().equals("*")) {
            return new Constraint.Present(property);
        }
        return new Constraint.Compare(property, op, value);
    }

    private Constraint.Operator operator(String property) throws ConstraintSyntaxException {
        if (input.startsWith("<=", pos)) {
            pos += 2;
            return Constraint.Operator.LE;
        }
        if (input.startsWith(">=", pos)) {
            pos += 2;
            return Constraint.Operator.GE;
        }
        if (input.startsWith("<>", pos)) {
            pos += 2;
            return Constraint.Operator.NE;
        }
        char c = peek();
        if (c == '~') {
            throw error("the approximate operator '~=' is not supported; use =, <>, <, <=, > or >=");
        }
        pos++;
        return switch (c) {
            case '=' -> Constraint.Operator.EQ;
            case '<' -> Constraint.Operator.LT;
            case '>' -> Constraint.Operator.GT;
            default -> {
                pos--;
                throw error("expected a comparison operator (=, <>, <, <=, >, >=) after '" + property + "'");
            }
        };
    }

    private void expectClose() throws ConstraintSyntaxException {
        if (atEnd()) {
            throw error("unexpected end of input: missing ')'");
        }
        if (peek() != ')') {
            throw error("expected ')' but found '" + peek() + "'");
        }
        pos++;
    }

    private void skipWhitespace() {
        while (!atEnd() && Character.isWhitespace(peek())) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= input.length();
    }

    private char peek() {
        return atEnd() ? '\0' : input.charAt(pos);
    }

    private ConstraintSyntaxException error(String problem) {
        return new ConstraintSyntaxException(problem, input, pos);
    }
}
