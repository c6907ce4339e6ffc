package dev.golemsandbox.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.gvmi.ContainerConfig;
import dev.golemsandbox.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a saved image is made of: its layer files, bottom first, and its container config. Read
 * from a {@code docker save} archive ({@code manifest.json}) or an OCI image layout
 * ({@code index.json}, following nested indexes to the linux/amd64 image).
 *
 * <pre>{@code
 * ImageLayout layout = ImageLayout.read(archive);
 * layout.layers();   // ["blobs/sha256/3f4a...", ...]
 * }</pre>
 */
record ImageLayout(String format, List<String> layers, ContainerConfig config) {

    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+:[a-fA-F0-9]{32,128}");
    private static final int MAX_INDEX_DEPTH = 4;
    /** Far above Docker's own limit of 128 layers. */
    private static final int MAX_LAYERS = 1000;
    /** The JSON files of an image are read whole, so they are bounded. */
    private static final int MAX_JSON_BYTES = 16 << 20;

    ImageLayout {
        layers = List.copyOf(layers);
    }

    /**
     * Reads the layout of the image in {@code archive}.
     *
     * @throws ImageConversionException when the archive is neither format, holds several images,
     *         or refers to files it does not contain
     */
    static ImageLayout read(ImageArchive archive) throws ImageConversionException, IOException {
        if (archive.contains("manifest.json")) {
            return readDockerSave(archive);
        }
        if (archive.contains("index.json")) {
            return readOciLayout(archive);
        }
        throw new ImageConversionException(archive.location()
                + " is not a saved image: it has neither manifest.json (docker save) nor index.json (OCI layout);"
                + " for a root filesystem tarball, unpack it and convert the directory");
    }

    private static ImageLayout readDockerSave(ImageArchive archive) throws ImageConversionException, IOException {
        JsonNode manifest = readJson(archive, "manifest.json");
        if (!manifest.isArray() || manifest.isEmpty()) {
            throw new ImageConversionException(archive.location() + ": manifest.json lists no image");
        }
        if (manifest.size() > 1) {
            List<String> tags = new ArrayList<>();
            manifest.forEach(image -> image.path("RepoTags").forEach(t -> tags.add(t.asText())));
            throw new ImageConversionException(archive.location() + " holds " + manifest.size() + " images " + tags
                    + "; save one image per archive (docker save -o one.tar <image>)");
        }
        JsonNode image = manifest.get(0);
        List<String> layers = new ArrayList<>();
        refuseTooManyLayers(archive, image.path("Layers"));
        for (JsonNode layer : image.path("Layers")) {
            layers.add(layer.asText());
        }
        String configPath = image.path("Config").asText("");
        if (configPath.isEmpty()) {
            throw new ImageConversionException(archive.location() + ": manifest.json names no image config");
        }
        return new ImageLayout("docker save archive", layers, containerConfig(readJson(archive, configPath)));
    }

    private static ImageLayout readOciLayout(ImageArchive archive) throws ImageConversionException, IOException {
        JsonNode node = readJson(archive, "index.json");
        for (int depth = 0; depth < MAX_INDEX_DEPTH; depth++) {
            if (node.has("layers") && node.has("config")) {
                List<String> layers = new ArrayList<>();
                refuseTooManyLayers(archive, node.path("layers"));
                for (JsonNode layer : node.path("layers")) {
                    layers.add(blobPath(archive, layer.path("digest").asText()));
                }
                JsonNode config = readJson(archive, blobPath(archive, node.path("config").path("digest").asText()));
                return new ImageLayout("OCI image layout", layers, containerConfig(config));
            }
            JsonNode descriptor = chooseManifest(archive, node.path("manifests"));
            node = readJson(archive, blobPath(archive, descriptor.path("digest").asText()));
        }
        throw new ImageConversionException(archive.location() + ": image indexes nest deeper than " + MAX_INDEX_DEPTH + " levels");
    }

    /** The one image of an index: the only entry, else the only linux/amd64 one. */
    private static JsonNode chooseManifest(ImageArchive archive, JsonNode manifests) throws ImageConversionException {
        List<JsonNode> candidates = new ArrayList<>();
        manifests.forEach(candidates::add);
        if (candidates.size() > 1) {
            candidates.removeIf(m -> m.has("platform") && !("linux".equals(m.path("platform").path("os").asText())
                    && "amd64".equals(m.path("platform").path("architecture").asText())));
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        if (candidates.isEmpty()) {
            throw new ImageConversionException(archive.location() + ": the OCI index lists no linux/amd64 image");
        }
        List<String> names = new ArrayList<>();
        candidates.forEach(m -> names.add(m.path("annotations").path("org.opencontainers.image.ref.name").asText(m.path("digest").asText())));
        throw new ImageConversionException(archive.location() + " holds " + candidates.size() + " images " + names
                + "; export one image per layout");
    }

    /** Every layer is unpacked in turn, so a manifest cannot ask for an endless list of them. */
    private static void refuseTooManyLayers(ImageArchive archive, JsonNode layers) throws ImageConversionException {
        if (layers.size() > MAX_LAYERS) {
            throw new ImageConversionException(archive.location() + ": the image lists " + layers.size() + " layers; no image has more"
                    + " than " + MAX_LAYERS + " (Docker stops at 128)");
        }
    }

    private static String blobPath(ImageArchive archive, String digest) throws ImageConversionException {
        if (!DIGEST.matcher(digest).matches()) {
            throw new ImageConversionException(archive.location() + ": '" + digest + "' is not a content digest");
        }
        int colon = digest.indexOf(':');
        return "blobs/" + digest.substring(0, colon) + "/" + digest.substring(colon + 1);
    }

    private static JsonNode readJson(ImageArchive archive, String path) throws ImageConversionException, IOException {
        try (InputStream in = archive.open(path)) {
            byte[] json = in.readNBytes(MAX_JSON_BYTES + 1);
            if (json.length > MAX_JSON_BYTES) {
                throw new ImageConversionException(archive.location() + ": " + path + " is larger than "
                        + ExtractionBudget.bytes(MAX_JSON_BYTES) + ", which no image manifest, index or config needs");
            }
            // JSON is UTF-8 (RFC 8259): decoding it first keeps Jackson from guessing UTF-16 or UTF-32.
            JsonNode node = JsonMapper.readTree(new String(json, StandardCharsets.UTF_8));
            if (node == null || node.isMissingNode()) {
                throw new ImageConversionException(archive.location() + ": " + path + " is empty");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ImageConversionException(archive.location() + ": " + path + " is not valid JSON ("
                    + e.getOriginalMessage() + ")");
        }
    }

    /** The {@code config} object of an image config: the container config a GVMI trailer holds. */
    private static ContainerConfig containerConfig(JsonNode imageConfig) {
        JsonNode config = imageConfig.get("config");
        return config != null && config.isObject() ? ContainerConfig.fromJsonNode(config) : ContainerConfig.empty();
    }
}
