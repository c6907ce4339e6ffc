package dev.golemsandbox.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/**
 * A rule for output that legitimately varies between runs (timestamps, random names): every
 * match of {@code pattern} in the chosen stream is replaced by {@code replacement} on both the
 * recorded and the actual side before they are compared.
 *
 * @param stream "stdout", "stderr" or "both"
 */
public record OutputMask(String stream, Pattern pattern, String replacement) {

    public String apply(String which, String text) {
        if (text == null || !(stream.equals("both") || stream.equals(which))) {
            return text;
        }
        return pattern.matcher(text).replaceAll(java.util.regex.Matcher.quoteReplacement(replacement));
    }

    ObjectNode toJson() {
        ObjectNode node = RequestorScript.JSON.createObjectNode();
        node.put("stream", stream);
        node.put("pattern", pattern.pattern());
        node.put("replace", replacement);
        return node;
    }
}
