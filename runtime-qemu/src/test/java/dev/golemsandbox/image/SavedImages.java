package dev.golemsandbox.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.gvmi.ContainerConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes saved images from layer tars, as {@code docker save} and OCI tools lay them out, for
 * tests of image conversion.
 *
 * <pre>{@code
 * SavedImages.dockerSave(dir.resolve("app.tar"), config, List.of(layer1, layer2));
 * }</pre>
 */
public final class SavedImages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SavedImages() {
    }

    /**
     * A {@code docker save} tarball: one directory per layer with {@code layer.tar}, the image
     * config, and {@code manifest.json} last, as Docker writes them.
     */
    public static Path dockerSave(Path tarFile, ContainerConfig config, List<byte[]> layers) throws IOException {
        return dockerSave(tarFile, "test/app:latest", config, layers);
    }

    /** The same, with the tag {@code docker load} gives the image. Layers must be uncompressed for {@code docker load}. */
    public static Path dockerSave(Path tarFile, String repoTag, ContainerConfig config, List<byte[]> layers) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        ArrayNode layerPaths = JSON.createArrayNode();
        for (byte[] layer : layers) {
            String path = sha256(layer) + "/layer.tar";
            files.put(path, layer);
            layerPaths.add(path);
        }
        byte[] imageConfig = imageConfig(config, layers);
        String configPath = sha256(imageConfig) + ".json";
        files.put(configPath, imageConfig);
        ObjectNode image = JSON.createObjectNode();
        image.put("Config", configPath);
        image.putArray("RepoTags").add(repoTag);
        image.set("Layers", layerPaths);
        files.put("manifest.json", JSON.writeValueAsBytes(JSON.createArrayNode().add(image)));
        writeTar(tarFile, files);
        return tarFile;
    }

    /**
     * An OCI image layout in a directory whose index.json points to a nested index with two
     * platforms: {@code otherPlatformLayers} for linux/arm64 and {@code layers} for linux/amd64.
     */
    public static Path ociLayout(Path dir, ContainerConfig config, List<byte[]> layers, List<byte[]> otherPlatformLayers)
            throws IOException {
        Map<String, byte[]> files = ociFiles(config, layers, otherPlatformLayers);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path path = dir.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.write(path, file.getValue());
        }
        return dir;
    }

    /** The same OCI image layout, as one tar file. */
    public static Path ociLayoutTar(Path tarFile, ContainerConfig config, List<byte[]> layers, List<byte[]> otherPlatformLayers)
            throws IOException {
        writeTar(tarFile, ociFiles(config, layers, otherPlatformLayers));
        return tarFile;
    }

    private static Map<String, byte[]> ociFiles(ContainerConfig config, List<byte[]> layers, List<byte[]> otherLayers)
            throws IOException {
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        ObjectNode amd64 = manifest(config, layers, blobs);
        ObjectNode arm64 = manifest(config, otherLayers, blobs);
        ObjectNode nested = JSON.createObjectNode();
        nested.put("schemaVersion", 2);
        nested.put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode platforms = nested.putArray("manifests");
        platforms.add(descriptor(arm64, "application/vnd.oci.image.manifest.v1+json", blobs).set("platform", platform("arm64")));
        platforms.add(descriptor(amd64, "application/vnd.oci.image.manifest.v1+json", blobs).set("platform", platform("amd64")));
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        ObjectNode top = descriptor(nested, "application/vnd.oci.image.index.v1+json", blobs);
        top.putObject("annotations").put("org.opencontainers.image.ref.name", "latest");
        index.putArray("manifests").add(top);

        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        files.put("index.json", JSON.writeValueAsBytes(index));
        blobs.forEach((digest, bytes) -> files.put("blobs/sha256/" + digest, bytes));
        return files;
    }

    private static ObjectNode manifest(ContainerConfig config, List<byte[]> layers, Map<String, byte[]> blobs) throws IOException {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        byte[] imageConfig = imageConfig(config, layers);
        manifest.set("config", descriptor(imageConfig, "application/vnd.oci.image.config.v1+json", blobs));
        ArrayNode layerDescriptors = manifest.putArray("layers");
        for (byte[] layer : layers) {
            layerDescriptors.add(descriptor(layer, "application/vnd.oci.image.layer.v1.tar+gzip", blobs));
        }
        return manifest;
    }

    private static ObjectNode descriptor(ObjectNode json, String mediaType, Map<String, byte[]> blobs) throws IOException {
        return descriptor(JSON.writeValueAsBytes(json), mediaType, blobs);
    }

    private static ObjectNode descriptor(byte[] blob, String mediaType, Map<String, byte[]> blobs) {
        String digest = sha256(blob);
        blobs.put(digest, blob);
        ObjectNode descriptor = JSON.createObjectNode();
        descriptor.put("mediaType", mediaType);
        descriptor.put("digest", "sha256:" + digest);
        descriptor.put("size", blob.length);
        return descriptor;
    }

    private static ObjectNode platform(String architecture) {
        ObjectNode platform = JSON.createObjectNode();
        platform.put("architecture", architecture);
        platform.put("os", "linux");
        return platform;
    }

    private static byte[] imageConfig(ContainerConfig config, List<byte[]> layers) throws IOException {
        ObjectNode image = JSON.createObjectNode();
        image.put("architecture", "amd64");
        image.put("os", "linux");
        image.set("config", config.toJsonNode());
        ObjectNode rootfs = image.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        layers.forEach(l -> diffIds.add("sha256:" + sha256(l)));
        return JSON.writeValueAsBytes(image);
    }

    private static void writeTar(Path tarFile, Map<String, byte[]> files) throws IOException {
        List<String> dirs = new ArrayList<>();
        try (OutputStream out = Files.newOutputStream(tarFile);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                int slash = file.getKey().lastIndexOf('/');
                if (slash > 0 && !dirs.contains(file.getKey().substring(0, slash + 1))) {
                    String dir = file.getKey().substring(0, slash + 1);
                    dirs.add(dir);
                    tar.putArchiveEntry(new TarArchiveEntry(dir));
                    tar.closeArchiveEntry();
                }
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
