package dev.golemsandbox.market.constraint;

/**
 * A constraint expression that does not parse. The message names the offset and shows the text
 * around it, e.g. {@code expected ')' at offset 12: (&(a=1)(b=2) <-- here}.
 */
public final class ConstraintSyntaxException extends Exception {

    private final int offset;

    ConstraintSyntaxException(String problem, String input, int offset) {
        super(problem + " at offset " + offset + ": " + excerpt(input, offset));
        this.offset = offset;
    }

    /** Where in the input the problem was found (0-based). */
    public int offset() {
        return offset;
    }

    private static String excerpt(String input, int offset) {
        int from = Math.max(0, offset - 40);
        String before = input.substring(from, Math.min(offset, input.length())).replace('\n', ' ').replace('\t', ' ');
        return (from > 0 ? "..." : "") + before + " <-- here";
    }
}
