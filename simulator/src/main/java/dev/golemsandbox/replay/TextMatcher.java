package dev.golemsandbox.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/**
 * How a hand-written expectation checks a stream: {@code {"equals": ..}}, {@code {"contains": ..}}
 * or {@code {"matches": regex}} (the regex must match the whole text; use {@code (?s)} for
 * multi-line output).
 */
public record TextMatcher(Kind kind, String value) {

    public enum Kind { EQUALS, CONTAINS, MATCHES }

    public TextMatcher {
        if (kind == Kind.MATCHES) {
            Pattern.compile(value);
        }
    }

    public boolean test(String actual) {
        String text = actual == null ? "" : actual;
        return switch (kind) {
            case EQUALS -> text.equals(value);
            case CONTAINS -> text.contains(value);
            case MATCHES -> Pattern.compile(value).matcher(text).matches();
        };
    }

    /** What was expected, for a report line: {@code equals "hi\n"}. */
    public String describe() {
        return kind.name().toLowerCase() + " " + Quoting.quote(value);
    }

    ObjectNode toJson() {
        ObjectNode node = RequestorScript.JSON.createObjectNode();
        node.put(kind.name().toLowerCase(), value);
        return node;
    }
}
