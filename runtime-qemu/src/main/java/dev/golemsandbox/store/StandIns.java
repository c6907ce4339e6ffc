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
 * Which public tags answer with a local image. Built in: the public tags requestor examples use
 * ({@code golem/alpine:latest}, ...) answer with the default image. A user can map more tags, or
 * the same ones to their own images, in {@code $GOLEM_SANDBOX_HOME/stand-ins.json}
 * ({@code {"golem/node:latest": "my/node:1"}}) or in the env var {@value #ENV}
 * ({@code golem/node:latest=my/node:1,golem/python:latest=<hash>}); the env var wins over the file,
 * the file over the built-ins. Targets are local tags or hashes.
 */
public final class StandIns {

    public static final String ENV = "GOLEM_SANDBOX_STAND_INS";
    public static final String FILE_NAME = "stand-ins.json";

    /** Public tags that golem-js and yapapi examples use. They lack node/python unless mapped to an image that has them. */
    static final Map<String, String> BUILT_IN = builtIn();

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
        Map<String, StandIn> all = new LinkedHashMap<>();
        BUILT_IN.forEach((tag, target) -> all.put(tag, new StandIn(tag, target, "built-in")));
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
        Map<String, StandIn> all = new LinkedHashMap<>();
        BUILT_IN.forEach((tag, target) -> all.put(tag, new StandIn(tag, target, "built-in")));
        return new StandIns(all);
    }

    private static void put(Map<String, StandIn> all, String publicTag, String target, String source) throws ImageStoreException {
        ImageTag tag;
        try {
            tag = ImageTag.parse(publicTag);
        } catch (IllegalArgumentException e) {
            throw new ImageStoreException(source + ": " + e.getMessage());
        }
        String cleanTarget = target.trim();
        if (cleanTarget.isEmpty()) {
            throw new ImageStoreException(source + ": the stand-in for " + tag + " names no local image");
        }
        all.put(tag.toString(), new StandIn(tag.toString(), cleanTarget, source));
    }

    /** The stand-in for {@code tag}, if it is one. */
    public Optional<StandIn> forTag(ImageTag tag) {
        return Optional.ofNullable(byTag.get(tag.toString()));
    }

    /** All stand-ins by public tag. */
    public Map<String, StandIn> all() {
        return byTag;
    }

    private static Map<String, String> builtIn() {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String tag : new String[] {"golem/alpine:latest", "golem/node:latest", "golem/node:20-alpine", "golem/python:latest"}) {
            tags.put(tag, ImageStore.DEFAULT_IMAGE_TAG);
        }
        return Collections.unmodifiableMap(tags);
    }
}
