package dev.golemsandbox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.golemsandbox.gvmi.GvmiImage;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.registry.ImageRegistryApi;
import dev.golemsandbox.registry.RegistryUsers;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.ImageTag;
import dev.golemsandbox.store.StoredImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code image push <file> [-t repo:tag] [--registry URL [--token T]]}: into the local store
 * directly, or over HTTP to a running sandbox's registry (which verifies the hash, and takes a tag
 * {@code owner/name:tag} only with its owner's token).
 */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = "Add a GVMI file to the local registry, or upload it to a running sandbox with --registry.")
final class ImagePushCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = Json.mapper();

    @Parameters(index = "0", paramLabel = "FILE", description = "The GVMI file.")
    Path file;

    @Option(names = {"-t", "--tag"}, paramLabel = "REPO:TAG", description = "Tag for the image (without one it is reachable by hash only).")
    String tag;

    @Option(names = "--registry", paramLabel = "URL", description = "Base URL of a running sandbox, e.g. http://127.0.0.1:7465.")
    URI registry;

    @Option(names = "--app-key", paramLabel = "KEY", description = "App key of the sandbox at --registry (a push needs it). Default: $YAGNA_APPKEY, else the key of the sandbox running from the data directory.")
    String appKey;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Token of the registry user who owns the tag (owner/name:tag), from 'golem-sandbox registry user add'. Default: $GOLEM_REGISTRY_TOKEN. A push by hash needs none.")
    String token;

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String name = tag == null ? null : parseTag(tag);
        GvmiImage image = GvmiImage.open(file);
        PrintWriter out = spec.commandLine().getOut();
        if (registry == null) {
            ImageStore store = ImageStore.open(common.home());
            StoredImage stored = store.put(file, null);
            if (name != null) {
                stored = store.tag(name, stored.sha3());
            }
            print(out, stored.sha3(), stored.size(), name, ImageRegistryApi.taskPackage(RegistryUrl.fromEnvironment(), stored.sha3()));
        } else {
            String sha3 = image.sha3();
            JsonNode answer = upload(sha3, name);
            print(out, sha3, image.size(), name, "hash:sha3:" + sha3 + ":" + answer.path("http").asText());
        }
        return 0;
    }

    private JsonNode upload(String sha3, String name) throws IOException, InterruptedException {
        String base = registry.toString().replaceFirst("/+$", "");
        String query = "hash=" + sha3 + (name == null ? "" : "&tag=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/v1/image/push?" + query))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(file));
        key().ifPresent(key -> request.header("Authorization", "Bearer " + key));
        registryToken().ifPresent(t -> request.header(RegistryUsers.TOKEN_HEADER, t));
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UserError(UserError.UNAVAILABLE, "cannot reach the registry at " + base + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", "is the sandbox running there? check --registry");
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() != 201) {
            String message = body.path("message").asText(response.body());
            throw new UserError("the registry at " + base + " refused the image (HTTP " + response.statusCode() + "): " + message);
        }
        return body;
    }

    /**
     * The key to push with: the flag's, the environment's, or that of the sandbox this data
     * directory runs; without one the registry's 401 says what is missing.
     */
    private Optional<String> key() {
        if (appKey != null) {
            return Optional.of(appKey);
        }
        String env = System.getenv("YAGNA_APPKEY");
        if (env != null && !env.isBlank()) {
            return Optional.of(env.trim());
        }
        return RunningSandbox.find(common.home()).map(RunningSandbox::appKey);
    }

    private Optional<String> registryToken() {
        String value = token != null ? token : System.getenv("GOLEM_REGISTRY_TOKEN");
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String parseTag(String tag) {
        try {
            return ImageTag.parse(tag).toString();
        } catch (IllegalArgumentException e) {
            throw new UserError("-t: " + e.getMessage());
        }
    }

    private void print(PrintWriter out, String sha3, long size, String name, String link) {
        out.println("pushed: " + file);
        out.println("size:   " + HumanSize.of(size));
        out.println("sha3:   " + sha3);
        if (name != null) {
            out.println("tag:    " + name);
        }
        out.println("link:   " + link);
        out.flush();
    }
}
