package dev.golemsandbox.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a demand's {@code golem.srv.comp.payload}: the manifest's JSON in base64 (what golem-js
 * sends) or, as ya-provider also takes it, the JSON itself. Every field is checked for its type
 * and form, and the input is bounded, because it comes from an untrusted requestor; each
 * problem is an {@link InvalidManifestException} naming the field.
 *
 * <pre>{@code
 * AppManifest manifest = ManifestDecoder.decode(Base64.getEncoder().encodeToString(json.getBytes(UTF_8)));
 * }</pre>
 *
 * Stateless and thread-safe. Unknown fields are ignored, as the real decoder does.
 */
public final class ManifestDecoder {

    /** The longest property accepted; real manifests are a few hundred bytes. */
    public static final int MAX_ENCODED_CHARS = 64 * 1024;
    static final int MAX_LIST = 256;
    static final int MAX_URL_CHARS = 2048;

    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})(-[0-9A-Za-z.-]{1,64})?(\\+[0-9A-Za-z.-]{1,64})?");
    private static final Pattern HASH = Pattern.compile("[a-z0-9]{1,16}:[0-9a-fA-F]{8,128}");
    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]{0,31}");

    private ManifestDecoder() {
    }

    /** The manifest in {@code encoded} (base64 or JSON), checked field by field. */
    public static AppManifest decode(String encoded) {
        if (encoded.length() > MAX_ENCODED_CHARS) {
            throw new InvalidManifestException("it is " + encoded.length() + " characters long, more than the " + MAX_ENCODED_CHARS + " accepted");
        }
        String trimmed = encoded.strip();
        byte[] json;
        if (trimmed.startsWith("{")) {
            json = trimmed.getBytes(StandardCharsets.UTF_8);
        } else {
            try {
                json = base64(trimmed);
            } catch (IllegalArgumentException e) {
                throw new InvalidManifestException("it is neither base64 nor JSON: " + e.getMessage());
            }
            if (json.length == 0) {
                throw new InvalidManifestException("it is empty");
            }
        }
        JsonNode root;
        try {
            root = JsonMapper.readTree(json);
        } catch (IOException e) {
            throw new InvalidManifestException("it is not JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidManifestException("it must be a JSON object with version, createdAt, expiresAt and payload");
        }
        return manifest(root);
    }

    /** Strict base64 (standard or URL-safe alphabet), line breaks allowed; anything else is refused, not skipped. */
    static byte[] base64(String text) {
        String compact = text.replaceAll("\\s+", "");
        return compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0
                ? Base64.getUrlDecoder().decode(compact) : Base64.getDecoder().decode(compact);
    }

    private static AppManifest manifest(JsonNode root) {
        String version = semver(root, "version");
        Instant createdAt = time(root, "createdAt");
        Instant expiresAt = time(root, "expiresAt");
        Map<String, Object> metadata = Map.of();
        JsonNode meta = root.get("metadata");
        if (meta != null && !meta.isNull()) {
            if (!meta.isObject()) {
                throw wrongType("metadata", "an object", meta);
            }
            metadata = JsonMapper.shared().convertValue(meta, JsonMapper.shared().getTypeFactory()
                    .constructMapType(Map.class, String.class, Object.class));
        }
        List<AppManifest.Payload> payload = new ArrayList<>();
        int index = 0;
        for (JsonNode entry : list(root, "payload", true)) {
            payload.add(payload(entry, "payload[" + index++ + "]"));
        }
        Optional<AppManifest.CompManifest> comp = Optional.empty();
        JsonNode c = root.get("compManifest");
        if (c != null && !c.isNull()) {
            comp = Optional.of(compManifest(object(c, "compManifest")));
        }
        return new AppManifest(version, createdAt, expiresAt, metadata, payload, comp);
    }

    private static AppManifest.Payload payload(JsonNode entry, String where) {
        object(entry, where);
        Optional<AppManifest.Platform> platform = Optional.empty();
        JsonNode p = entry.get("platform");
        if (p != null && !p.isNull()) {
            object(p, where + ".platform");
            platform = Optional.of(new AppManifest.Platform(optionalText(p, "arch", where + ".platform.arch"),
                    optionalText(p, "os", where + ".platform.os")));
        }
        List<URI> urls = urls(list(entry, "urls", true, where + ".urls"), where + ".urls");
        if (urls.isEmpty()) {
            throw new InvalidManifestException("'" + where + ".urls' lists no URL: say where the image can be downloaded");
        }
        JsonNode hash = entry.get("hash");
        if (hash == null || !hash.isTextual() || !HASH.matcher(hash.asText()).matches()) {
            throw new InvalidManifestException("'" + where + ".hash' must be <algorithm>:<hex digest> such as sha3:<56 hex digits>, got "
                    + describe(hash));
        }
        return new AppManifest.Payload(platform, urls, hash.asText().toLowerCase(Locale.ROOT));
    }

    private static AppManifest.CompManifest compManifest(JsonNode c) {
        String version = semver(c, "compManifest.version");
        Optional<AppManifest.Script> script = Optional.empty();
        JsonNode s = c.get("script");
        if (s != null && !s.isNull()) {
            object(s, "compManifest.script");
            List<String> commands = new ArrayList<>();
            for (JsonNode command : list(s, "commands", true, "compManifest.script.commands")) {
                if (!command.isTextual()) {
                    throw wrongType("compManifest.script.commands", "a list of strings", command);
                }
                commands.add(command.asText());
            }
            String match = optionalText(s, "match", "compManifest.script.match").orElse("strict");
            if (!match.equals("strict") && !match.equals("regex")) {
                throw new InvalidManifestException("'compManifest.script.match' must be strict or regex, got \"" + match + "\"");
            }
            script = Optional.of(new AppManifest.Script(commands, match));
        }
        JsonNode out = path(c, "net", "inet", "out");
        Optional<OutboundRequest> outbound = out == null ? Optional.empty() : Optional.of(outbound(out));
        return new AppManifest.CompManifest(version, script, outbound);
    }

    /** {@code compManifest.net.inet.out}: protocols, and urls or unrestricted. */
    private static OutboundRequest outbound(JsonNode out) {
        String where = "compManifest.net.inet.out";
        object(out, where);
        List<String> protocols = OutboundRequest.DEFAULT_PROTOCOLS;
        JsonNode p = out.get("protocols");
        if (p != null && !p.isNull()) {
            protocols = new ArrayList<>();
            for (JsonNode protocol : list(out, "protocols", true, where + ".protocols")) {
                if (!protocol.isTextual() || !SCHEME.matcher(protocol.asText().toLowerCase(Locale.ROOT)).matches()) {
                    throw wrongType(where + ".protocols", "a list of URL schemes such as http, https", protocol);
                }
                protocols.add(protocol.asText().toLowerCase(Locale.ROOT));
            }
        }
        List<URI> urls = urls(list(out, "urls", false, where + ".urls"), where + ".urls");
        boolean unrestricted = false;
        JsonNode u = out.get("unrestricted");
        if (u != null && !u.isNull()) {
            object(u, where + ".unrestricted");
            JsonNode flag = u.get("urls");
            if (flag == null || !flag.isBoolean()) {
                throw wrongType(where + ".unrestricted.urls", "true or false", flag);
            }
            unrestricted = flag.asBoolean();
        }
        if (unrestricted && !urls.isEmpty()) {
            throw new InvalidManifestException("'" + where + "' lists urls and asks for unrestricted access: give one of the two");
        }
        return new OutboundRequest(protocols, urls, unrestricted);
    }

    private static List<URI> urls(List<JsonNode> items, String where) {
        List<URI> urls = new ArrayList<>();
        for (JsonNode item : items) {
            if (!item.isTextual()) {
                throw wrongType(where, "a list of URLs", item);
            }
            urls.add(absoluteUrl(item.asText(), where));
        }
        return urls;
    }

    /** An absolute URL with a scheme and a host, as the url crate accepts it for outbound access. */
    static URI absoluteUrl(String text, String where) {
        if (text.length() > MAX_URL_CHARS) {
            throw new InvalidManifestException("'" + where + "' has a URL of " + text.length() + " characters, more than " + MAX_URL_CHARS);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidManifestException("'" + where + "' has \"" + text + "\", which is not a URL: " + e.getReason());
        }
        if (!uri.isAbsolute() || uri.getScheme() == null || !SCHEME.matcher(uri.getScheme().toLowerCase(Locale.ROOT)).matches()) {
            throw new InvalidManifestException("'" + where + "' has \"" + text + "\", which is not an absolute URL (scheme://host/...)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidManifestException("'" + where + "' has \"" + text + "\", a URL without a host");
        }
        return uri;
    }

    private static List<JsonNode> list(JsonNode parent, String key, boolean required) {
        return list(parent, key, required, key);
    }

    private static List<JsonNode> list(JsonNode parent, String key, boolean required, String where) {
        JsonNode v = parent.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidManifestException("'" + where + "' is missing");
            }
            return List.of();
        }
        if (!v.isArray()) {
            throw wrongType(where, "a list", v);
        }
        if (v.size() > MAX_LIST) {
            throw new InvalidManifestException("'" + where + "' has " + v.size() + " entries, more than the " + MAX_LIST + " accepted");
        }
        List<JsonNode> items = new ArrayList<>();
        v.forEach(items::add);
        return items;
    }

    private static String semver(JsonNode parent, String where) {
        String key = where.substring(where.lastIndexOf('.') + 1);
        JsonNode v = parent.get(key);
        if (v == null || !v.isTextual() || !SEMVER.matcher(v.asText()).matches()) {
            throw new InvalidManifestException("'" + where + "' must be a semantic version such as \"0.1.0\", got " + describe(v));
        }
        return v.asText();
    }

    private static Instant time(JsonNode parent, String key) {
        JsonNode v = parent.get(key);
        if (v == null || !v.isTextual()) {
            throw new InvalidManifestException("'" + key + "' must be an RFC 3339 time such as \"2025-01-01T00:00:00Z\", got " + describe(v));
        }
        try {
            return OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidManifestException("'" + key + "' must be an RFC 3339 time such as \"2025-01-01T00:00:00Z\", got " + describe(v));
        }
    }

    private static Optional<String> optionalText(JsonNode parent, String key, String where) {
        JsonNode v = parent.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw wrongType(where, "a string", v);
        }
        return Optional.of(v.asText());
    }

    private static JsonNode object(JsonNode node, String where) {
        if (!node.isObject()) {
            throw wrongType(where, "an object", node);
        }
        return node;
    }

    /** The node at {@code keys} under {@code node}, each level an object; null if a level is missing. */
    private static JsonNode path(JsonNode node, String... keys) {
        String where = "compManifest";
        JsonNode at = node;
        for (String key : keys) {
            where += "." + key;
            JsonNode next = at.get(key);
            if (next == null || next.isNull()) {
                return null;
            }
            at = next;
            if (!key.equals(keys[keys.length - 1])) {
                object(at, where);
            }
        }
        return at;
    }

    private static InvalidManifestException wrongType(String where, String expected, JsonNode got) {
        return new InvalidManifestException("'" + where + "' must be " + expected + ", got " + describe(got));
    }

    /** A short rendering of a value for a message: never the whole of a large input. */
    private static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        String text = v.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unreadable";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
