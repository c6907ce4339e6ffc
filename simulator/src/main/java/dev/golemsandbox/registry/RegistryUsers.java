package dev.golemsandbox.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.home.AtomicFile;
import dev.golemsandbox.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The registry's accounts, as the public registry has them: a tag lives under an owner
 * ({@code owner/name:tag}) and only the owner's token may push it; a push by hash alone needs no
 * account. Users are kept in {@value #FILE_NAME} beside the store's images, each with the SHA-256
 * of its token (the token itself is shown once, when the user is added). The file is read on
 * every check, so users added while the sandbox runs count at once. Thread-safe.
 *
 * <pre>{@code
 * RegistryUsers users = RegistryUsers.in(store.directory());
 * String token = users.add("alice");           // print it: it is not kept
 * users.authorizeTagPush("alice/app:1", token); // passes; bob's token would be refused
 * }</pre>
 */
public final class RegistryUsers {

    public static final String FILE_NAME = "registry-users.json";
    /** The header a push carries its token in (the Authorization header holds the app key). */
    public static final String TOKEN_HEADER = "X-Registry-Token";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;

    private RegistryUsers(Path file) {
        this.file = file;
    }

    /** The users of the store in {@code storeDirectory}. */
    public static RegistryUsers in(Path storeDirectory) {
        return new RegistryUsers(storeDirectory.resolve(FILE_NAME));
    }

    /**
     * Adds a user and returns its new token.
     *
     * @throws IllegalArgumentException for a name that cannot own tags, or one that exists
     */
    public synchronized String add(String name) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' cannot own tags: a user name is lower-case letters, digits,"
                    + " '.', '_' and '-', as the owner part of owner/name:tag");
        }
        Map<String, String> users = read();
        if (users.containsKey(name)) {
            throw new IllegalArgumentException("the registry user " + name + " exists already; its token was shown when it was added");
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        users.put(name, sha256(token));
        ObjectNode json = JsonMapper.shared().createObjectNode();
        ObjectNode byName = json.putObject("users");
        users.forEach((user, hash) -> byName.putObject(user).put("tokenSha256", hash));
        Files.createDirectories(file.getParent());
        AtomicFile.write(file, JsonMapper.shared().writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        return token;
    }

    /** The user names, sorted. */
    public List<String> names() throws IOException {
        return new ArrayList<>(read().keySet());
    }

    /**
     * Lets a push of {@code tag} (already parsed) through only with its owner's token.
     *
     * @param token the token the push carries, or null
     * @throws RegistryApiException 400 for a tag without an owner, 401 without a token, 403 for
     *         an owner with no account or another user's token
     */
    public void authorizeTagPush(String tag, String token) throws IOException {
        int slash = tag.indexOf('/');
        if (slash < 0) {
            throw new RegistryApiException(400, "the tag " + tag + " has no owner: tags live under a registry user"
                    + " (OWNER/" + tag + ", pushed with OWNER's token), or push by hash without a tag");
        }
        String owner = tag.substring(0, slash);
        Map<String, String> users = read();
        String expected = users.get(owner);
        if (expected == null) {
            throw new RegistryApiException(403, "the tag " + tag + " belongs to the registry user " + owner
                    + ", who does not exist here: create it with 'golem-sandbox registry user add " + owner
                    + "' (it prints the token to push with), or push by hash without a tag");
        }
        if (token == null || token.isBlank()) {
            throw new RegistryApiException(401, "pushing the tag " + tag + " needs the token of the registry user " + owner
                    + " (image push --token, header " + TOKEN_HEADER + "); a push by hash without a tag needs none");
        }
        String given = sha256(token.trim());
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII))) {
            String holder = users.entrySet().stream().filter(e -> e.getValue().equals(given)).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
            throw new RegistryApiException(403, holder != null
                    ? "the tag " + tag + " belongs to the registry user " + owner + ", not to " + holder
                            + ": push under " + holder + "/..., or with " + owner + "'s token"
                    : "the token is not the one of the registry user " + owner + ", who owns the tag " + tag);
        }
    }

    private Map<String, String> read() throws IOException {
        Map<String, String> users = new TreeMap<>();
        JsonNode json;
        try {
            json = JsonMapper.shared().readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return users;
        }
        if (json != null) {
            json.path("users").properties().forEach(e -> users.put(e.getKey(), e.getValue().path("tokenSha256").asText()));
        }
        return users;
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
