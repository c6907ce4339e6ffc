package dev.golemsandbox.identity;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.golemsandbox.home.AtomicFile;
import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.Ids;
import dev.golemsandbox.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app keys one sandbox accepts, each with a name, as yagna's {@code app-key create NAME} /
 * {@code list} / {@code drop} keep them: the main key (named {@value #MAIN}, the YAGNA_APPKEY the
 * sandbox prints), the further keys given when it started ({@code --app-key} again, named
 * {@code app-key-2}, ...), and the keys created while it runs, which are kept owner-only in
 * {@code <data dir>/app-keys.json} so they work again after a restart. Every key belongs to the
 * sandbox's one requestor identity.
 *
 * <pre>{@code
 * AppKeys keys = AppKeys.open(mainKey, List.of("try_golem"), home.root().resolve(AppKeys.FILE_NAME));
 * keys.create("ci", null);              // a new random key, kept
 * keys.nameOf(header)                   // Optional.of("ci")
 * keys.drop("ci");
 * }</pre>
 *
 * Thread-safe. A caller's mistake (bad or taken name, unknown name, a started key) is an {@link ApiException}.
 */
public final class AppKeys {

    private static final Logger LOG = LoggerFactory.getLogger(AppKeys.class);

    /** The name of the key the sandbox prints as YAGNA_APPKEY. */
    public static final String MAIN = "main";

    /** Where created keys are kept, in the data directory. */
    public static final String FILE_NAME = "app-keys.json";

    /** What a key may be: printable, no spaces, long enough not to be guessed by accident (yagna's examples use {@code try_golem}). */
    public static final Pattern KEY_FORMAT = Pattern.compile("[A-Za-z0-9._~+/=-]{8,256}");

    private static final Pattern NAME_FORMAT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * One key.
     *
     * @param name    its name
     * @param key     the key itself
     * @param created when it was created, ISO-8601 UTC (for the main and started keys: when the sandbox started)
     * @param kept    whether it was created while running (kept in the file, can be dropped)
     */
    public record NamedKey(String name, String key, String created, boolean kept) {
    }

    /** How a kept key is written to the file. */
    private record KeptKey(String name, String key, String created) {
    }

    private final Path file;
    private final Map<String, NamedKey> byName = new LinkedHashMap<>();

    private AppKeys(Path file) {
        this.file = file;
    }

    /**
     * The keys of a sandbox: {@code main}, then {@code started} (named {@code app-key-2}, ...), then
     * those kept in {@code file}; a kept key whose name or key a started one already has is ignored.
     *
     * @throws ApiException.BadRequest if a started key is malformed or given twice
     * @throws UncheckedIOException    if the file exists and cannot be read
     */
    public static AppKeys open(String main, List<String> started, Path file) {
        AppKeys keys = new AppKeys(file);
        String now = now();
        keys.add(new NamedKey(MAIN, main, now, false));
        for (int i = 0; i < started.size(); i++) {
            keys.add(new NamedKey("app-key-" + (i + 2), started.get(i), now, false));
        }
        for (KeptKey kept : keys.readKept()) {
            if (keys.byName.containsKey(kept.name()) || keys.findByKey(kept.key()).isPresent()) {
                LOG.warn("app key '{}' kept in {} is ignored: its name or key is one the sandbox was started with", kept.name(), file);
                continue;
            }
            keys.byName.put(kept.name(), new NamedKey(kept.name(), kept.key(), kept.created(), true));
        }
        return keys;
    }

    /** The name of {@code key} if it is one of the keys; compares with every key in constant time. */
    public synchronized Optional<String> nameOf(String key) {
        return findByKey(key).map(NamedKey::name);
    }

    /** Every key, the main one first. */
    public synchronized List<NamedKey> list() {
        return List.copyOf(byName.values());
    }

    /**
     * Creates and keeps a key named {@code name}: {@code key}, or a new random one if null.
     *
     * @throws ApiException.BadRequest if the name or key is malformed
     * @throws ApiException.Conflict   if the name or the key is taken
     */
    public synchronized NamedKey create(String name, String key) {
        if (name == null || !NAME_FORMAT.matcher(name).matches()) {
            throw new ApiException.BadRequest("an app key's name must be 1-64 letters, digits and ._- (starting with a letter or digit), got '"
                    + name + "'");
        }
        NamedKey created = new NamedKey(name, key == null ? Ids.hex(16) : key, now(), true);
        add(created);
        try {
            writeKept();
        } catch (IOException e) {
            byName.remove(name);
            throw new UncheckedIOException("cannot keep the app key in " + file, e);
        }
        return created;
    }

    /**
     * Drops the created key {@code name}: requests with it get 401 from now on.
     *
     * @throws ApiException.NotFound if there is no such key
     * @throws ApiException.Conflict if it is the main key or one the sandbox was started with
     */
    public synchronized void drop(String name) {
        NamedKey key = byName.get(name);
        if (key == null) {
            throw new ApiException.NotFound("there is no app key named '" + name + "' (see 'golem-sandbox app-key list')");
        }
        if (!key.kept()) {
            throw new ApiException.Conflict("app key '" + name + "' is one the sandbox was started with (--app-key); restart it without that key instead");
        }
        byName.remove(name);
        try {
            writeKept();
        } catch (IOException e) {
            byName.put(name, key);
            throw new UncheckedIOException("cannot update the app keys kept in " + file, e);
        }
    }

    private void add(NamedKey key) {
        if (!KEY_FORMAT.matcher(key.key()).matches()) {
            throw new ApiException.BadRequest("app key '" + key.name() + "' must be 8-256 characters of letters, digits and ._~+/=-");
        }
        if (byName.containsKey(key.name())) {
            throw new ApiException.Conflict("an app key named '" + key.name() + "' already exists");
        }
        Optional<NamedKey> sameKey = findByKey(key.key());
        if (sameKey.isPresent()) {
            throw new ApiException.Conflict("that key is already app key '" + sameKey.get().name() + "'");
        }
        byName.put(key.name(), key);
    }

    /** Compares with every key without stopping at a match, so the time says nothing about which one matched. */
    private Optional<NamedKey> findByKey(String candidate) {
        if (candidate == null) {
            return Optional.empty();
        }
        byte[] given = candidate.getBytes(StandardCharsets.UTF_8);
        NamedKey found = null;
        for (NamedKey key : byName.values()) {
            if (MessageDigest.isEqual(given, key.key().getBytes(StandardCharsets.UTF_8))) {
                found = key;
            }
        }
        return Optional.ofNullable(found);
    }

    private List<KeptKey> readKept() {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            List<KeptKey> kept = Json.mapper().readValue(Files.readAllBytes(file), new TypeReference<List<KeptKey>>() { });
            return kept.stream().filter(k -> k.name() != null && NAME_FORMAT.matcher(k.name()).matches()
                    && k.key() != null && KEY_FORMAT.matcher(k.key()).matches()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the app keys kept in " + file + ": " + e.getMessage(), e);
        }
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private void writeKept() throws IOException {
        List<KeptKey> kept = new ArrayList<>();
        byName.values().stream().filter(NamedKey::kept).forEach(k -> kept.add(new KeptKey(k.name(), k.key(), k.created())));
        AtomicFile.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(kept));
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // A file system without POSIX permissions keeps the default ones (the data directory itself is owner-only).
        }
    }
}
