package dev.golemsandbox.replay;

/** Shows text in reports as a one-line quoted string, with newlines and control characters escaped. */
final class Quoting {

    private static final int MAX_SHOWN = 400;

    private Quoting() {
    }

    static String quote(String text) {
        if (text == null) {
            return "(nothing)";
        }
        StringBuilder out = new StringBuilder("\"");
        int shown = Math.min(text.length(), MAX_SHOWN);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        if (text.length() > shown) {
            out.append(" ... (").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
