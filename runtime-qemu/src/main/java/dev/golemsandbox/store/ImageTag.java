package dev.golemsandbox.store;

import java.util.regex.Pattern;

/**
 * An image name as requestors write it, {@code repository:tag} (e.g. {@code golem/alpine:latest});
 * the tag defaults to {@code latest}, as in Docker and the Golem registry.
 *
 * <pre>{@code
 * ImageTag.parse("golem/alpine").toString();   // "golem/alpine:latest"
 * }</pre>
 */
public record ImageTag(String repository, String tag) {

    private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    /**
     * Parses {@code repository[:tag]}.
     *
     * @throws IllegalArgumentException with a message that says what a tag must look like
     */
    public static ImageTag parse(String text) {
        String value = text == null ? "" : text.trim();
        int slash = value.lastIndexOf('/');
        int colon = value.lastIndexOf(':');
        String repository = colon > slash ? value.substring(0, colon) : value;
        String tag = colon > slash ? value.substring(colon + 1) : "latest";
        if (!REPOSITORY.matcher(repository).matches() || !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an image tag: use repository:tag with a lower-case"
                    + " repository such as golem/alpine:latest");
        }
        return new ImageTag(repository, tag);
    }

    /** Whether {@code text} parses as a tag. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return repository + ":" + tag;
    }
}
