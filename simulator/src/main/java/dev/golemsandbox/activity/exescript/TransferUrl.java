package dev.golemsandbox.activity.exescript;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One end of a {@code transfer}: a path in the VM ({@code container:/golem/input/x}, or just
 * {@code /golem/input/x}), a file the requestor serves over GSB ({@code gftp://<node>/<id>}),
 * or a loopback HTTP URL.
 *
 * <pre>{@code
 * TransferUrl url = TransferUrl.parse("gftp://0xabc/9f2e");   // url.gftpId() is "9f2e"
 * }</pre>
 *
 * @param scheme which kind of end
 * @param text   the string as the requestor wrote it
 * @param target the container path (for {@link Scheme#CONTAINER}) or the URI (otherwise)
 */
public record TransferUrl(Scheme scheme, String text, String target) {

    private static final Pattern HAS_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*", Pattern.DOTALL);

    /** The kinds of transfer ends the sandbox's providers support. */
    public enum Scheme { CONTAINER, GFTP, HTTP }

    /**
     * Parses one end of a transfer.
     *
     * @throws IllegalArgumentException with a message naming the problem
     */
    public static TransferUrl parse(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        if (!HAS_SCHEME.matcher(text).matches()) {
            return container(text, text);
        }
        String scheme = text.substring(0, text.indexOf(':')).toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "container" -> container(text, text.substring("container:".length()));
            case "gftp" -> gftp(text);
            case "http", "https" -> http(text);
            default -> throw new IllegalArgumentException("has the unsupported scheme \"" + scheme
                    + "\"; use container:<path>, gftp://<node>/<id>, http:// or https://");
        };
    }

    /** For {@link Scheme#GFTP}: the id after the node, which names the requestor's GSB service {@code /public/gftp/<id>}. */
    public String gftpId() {
        return URI.create(target).getPath().substring(1);
    }

    /** For {@link Scheme#HTTP}: the URI. */
    public URI uri() {
        return URI.create(target);
    }

    private static TransferUrl container(String text, String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("is not an absolute path in the container: \"" + path + "\"");
        }
        return new TransferUrl(Scheme.CONTAINER, text, path);
    }

    private static TransferUrl gftp(String text) {
        URI uri = uri(text);
        String path = uri.getPath();
        if (uri.getHost() == null || path == null || path.length() < 2 || path.indexOf('/', 1) >= 0) {
            throw new IllegalArgumentException("is not a gftp URL of the form gftp://<node>/<id>: \"" + text + "\"");
        }
        return new TransferUrl(Scheme.GFTP, text, uri.toString());
    }

    private static TransferUrl http(String text) {
        URI uri = uri(text);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("has no host: \"" + text + "\"");
        }
        return new TransferUrl(Scheme.HTTP, text, uri.toString());
    }

    private static URI uri(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL: " + e.getMessage());
        }
    }
}
