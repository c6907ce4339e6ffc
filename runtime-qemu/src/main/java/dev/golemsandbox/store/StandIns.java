package dev.golemsandbox.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which public tags and hashes answer with a local image. Built in: {@code golem/alpine:latest}
 * answers with the default busybox image (busybox is Alpine's own userland), the node and python
 * tags, and the Node.js image hash the Golem docs use, with images of Debian's nodejs and python3
 * ({@link DebianStandIn}). A user can map more tags or hashes, or the same ones to their own
 * images, in {@code $GOLEM_SANDBOX_HOME/stand-ins.json} ({@code {"golem/node:latest": "my/node:1"}})
 * or in the env var {@value #ENV} ({@code golem/node:latest=my/node:1,golem/python:latest=<hash>});
 * the env var wins over the file, the file over the built-ins. Targets are local tags or hashes.
 */
public final class StandIns {

    public static final String ENV = "GOLEM_SANDBOX_STAND_INS";
    public static final String FILE_NAME = "stand-ins.json";

    /** Public tags and hashes that golem-js and yapapi examples use, with what answers them. */
    static final Map<String, StandIn> BUILT_IN = builtIn();
    private static final java.util.regex.Pattern HASH = java.util.regex.Pattern.compile("[0-9a-fA-F]{56}");

    private static final ObjectMapper JSON = JsonMapper.shared();

    private final Map<String, StandIn> byTag;

    private StandIns(Map<String, StandIn> byTag) {
        this.byTag = Collections.unmodifiableMap(byTag);
    }

    /**
     * The stand-ins of a data directory and environment.
     *
     * @throws ImageStoreException when the file or the env var cannot be read, naming which
     */
    public static StandIns load(SandboxHome home, Map<String, String> environment) throws ImageStoreException, IOException {
        Map<String, StandIn> all = new LinkedHashMap<>(BUILT_IN);
        Path file = home.root().resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            JsonNode json;
            try {
                json = JSON.readTree(file.toFile());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ImageStoreException(file + " is not valid JSON: " + e.getOriginalMessage());
            }
            if (json == null || !json.isObject()) {
                throw new ImageStoreException(file + " must be a JSON object mapping public tags to local tags or hashes");
            }
            for (Map.Entry<String, JsonNode> e : json.properties()) {
                put(all, e.getKey(), e.getValue().asText(), file.toString());
            }
        }
        String env = environment.get(ENV);
        if (env != null && !env.isBlank()) {
            for (String pair : env.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new ImageStoreException(ENV + " takes public-tag=local-tag-or-hash pairs separated by commas, not '" + pair.trim() + "'");
                }
                put(all, pair.substring(0, eq), pair.substring(eq + 1), ENV);
            }
        }
        return new StandIns(all);
    }

    /** Only the built-in stand-ins. */
    public static StandIns builtIns() {
        return new StandIns(new LinkedHashMap<>(BUILT_IN));
    }

    private static void put(Map<String, StandIn> all, String publicTag, String target, String source) throws ImageStoreException {
        String key;
        if (HASH.matcher(publicTag.trim()).matches()) {
            key = publicTag.trim().toLowerCase(java.util.Locale.ROOT);
        } else {
            try {
                key = ImageTag.parse(publicTag).toString();
            } catch (IllegalArgumentException e) {
                throw new ImageStoreException(source + ": " + e.getMessage());
            }
        }
        String cleanTarget = target.trim();
        if (cleanTarget.isEmpty()) {
            throw new ImageStoreException(source + ": the stand-in for " + key + " names no local image");
        }
        all.put(key, new StandIn(key, cleanTarget, source, "whatever " + cleanTarget + " holds"));
    }

    /** The stand-in for {@code tag}, if it is one. */
    public Optional<StandIn> forTag(ImageTag tag) {
        return Optional.ofNullable(byTag.get(tag.toString()));
    }

    /** The stand-in for the public image hash {@code sha3}, if it is one. */
    public Optional<StandIn> forHash(String sha3) {
        return Optional.ofNullable(byTag.get(sha3.toLowerCase(java.util.Locale.ROOT)));
    }

    /** All stand-ins by public tag (or hash). */
    public Map<String, StandIn> all() {
        return byTag;
    }

    private static Map<String, StandIn> builtIn() {
        Map<String, StandIn> all = new LinkedHashMap<>();
        all.put("golem/alpine:latest", new StandIn("golem/alpine:latest", ImageStore.DEFAULT_IMAGE_TAG, "built-in",
                "busybox (a shell and the usual tools, as Alpine's own busybox userland), not Alpine's apk packages"));
        for (String tag : new String[] {"golem/node:latest", "golem/node:20-alpine"}) {
            all.put(tag, builtIn(tag, DebianStandIn.NODE));
        }
        all.put("golem/python:latest", builtIn("golem/python:latest", DebianStandIn.PYTHON));
        // The Node.js image of the Golem docs' JavaScript examples.
        all.put(DOCS_NODE_IMAGE_HASH, builtIn(DOCS_NODE_IMAGE_HASH, DebianStandIn.NODE));
        return Collections.unmodifiableMap(all);
    }

    /** The hash of the public Node.js image the Golem docs' examples name. */
    public static final String DOCS_NODE_IMAGE_HASH = "529f7fdaf1cf46ce3126eb6bbcd3b213c314fe8fe884914f5d1106d4";

    private static StandIn builtIn(String publicName, DebianStandIn image) {
        return new StandIn(publicName, image.tag(), "built-in", image.holds());
    }
}
