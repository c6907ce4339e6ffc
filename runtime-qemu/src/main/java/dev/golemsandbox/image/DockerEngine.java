package dev.golemsandbox.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import dev.golemsandbox.gvmi.ContainerConfig;
import dev.golemsandbox.json.JsonMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * A Docker engine reached through Testcontainers' Docker client: builds images from Dockerfiles,
 * reads image configs, and streams an image's root filesystem out of a created (never started)
 * container. Every container and image it makes for itself is removed before a method returns.
 *
 * <p>It finds the engine as Testcontainers does ({@code DOCKER_HOST}, the Docker socket, ...) but
 * without Testcontainers' resource reaper, which would need an image pulled from the internet.
 *
 * <pre>{@code
 * try (DockerEngine docker = DockerEngine.connect()) {
 *     String id = docker.build(contextDir, contextDir.resolve("Dockerfile"), progress);
 * }
 * }</pre>
 */
public final class DockerEngine implements Closeable {

    /** Label on the containers made to export a filesystem, so leftovers can be recognised. */
    public static final String EXPORT_LABEL = "dev.golemsandbox.export";

    private static final ObjectMapper JSON = JsonMapper.shared();

    private final DockerClient client;
    private final String description;

    private DockerEngine(DockerClient client, String description) {
        this.client = client;
        this.description = description;
    }

    /**
     * Connects to the engine {@code DOCKER_HOST} names, else the first one Testcontainers finds.
     *
     * @throws ToolUnavailableException when no engine answers
     */
    public static DockerEngine connect() throws ToolUnavailableException {
        String host = System.getenv("DOCKER_HOST");
        if (host != null && !host.isBlank()) {
            return connect(URI.create(host.trim()));
        }
        List<DockerClientProviderStrategy> strategies = new ArrayList<>();
        ServiceLoader.load(DockerClientProviderStrategy.class).forEach(strategies::add);
        try {
            DockerClientProviderStrategy strategy = DockerClientProviderStrategy.getFirstValidStrategy(strategies);
            return new DockerEngine(strategy.getDockerClient(), strategy.getTransportConfig().getDockerHost().toString());
        } catch (RuntimeException e) {
            throw unreachable("neither DOCKER_HOST nor the default socket unix:///var/run/docker.sock answers", e);
        }
    }

    /**
     * Connects to the engine at {@code dockerHost} ({@code unix:///path} or {@code tcp://host:port}).
     *
     * @throws ToolUnavailableException when it does not answer
     */
    public static DockerEngine connect(URI dockerHost) throws ToolUnavailableException {
        try {
            DockerClient client = DockerClientProviderStrategy.getClientForConfig(
                    TransportConfig.builder().dockerHost(dockerHost).build());
            client.pingCmd().exec();
            return new DockerEngine(client, dockerHost.toString());
        } catch (RuntimeException e) {
            throw unreachable(dockerHost + " does not answer", e);
        }
    }

    private static ToolUnavailableException unreachable(String why, RuntimeException cause) {
        return new ToolUnavailableException("no Docker engine is reachable (" + why
                + "): start dockerd (e.g. 'systemctl start docker') or point DOCKER_HOST at a running engine", cause);
    }

    /** Where the engine is, e.g. {@code unix:///var/run/docker.sock}. */
    public String description() {
        return description;
    }

    /**
     * Builds {@code dockerfile} with {@code context} as build context, reporting each step, and
     * returns the new image's id. The image is left untagged; remove it with {@link #removeImage}.
     *
     * @throws ImageConversionException when the build fails, with the engine's reason
     */
    public String build(Path context, Path dockerfile, ProgressListener progress) throws ImageConversionException {
        if (!Files.isDirectory(context)) {
            throw new ImageConversionException("build context " + context + " is not a directory");
        }
        if (!Files.isRegularFile(dockerfile)) {
            throw new ImageConversionException("no Dockerfile at " + dockerfile);
        }
        if (!dockerfile.toAbsolutePath().normalize().startsWith(context.toAbsolutePath().normalize())) {
            throw new ImageConversionException("the Dockerfile " + dockerfile + " must be inside the build context " + context);
        }
        progress.step("building " + dockerfile + " with the Docker engine at " + description);
        BuildImageResultCallback callback = new BuildImageResultCallback() {
            @Override
            public void onNext(BuildResponseItem item) {
                String stream = item.getStream();
                if (stream != null && stream.startsWith("Step ")) {
                    progress.step("docker build: " + stream.strip());
                }
                super.onNext(item);
            }
        };
        try {
            return client.buildImageCmd()
                    .withBaseDirectory(context.toFile())
                    .withDockerfile(dockerfile.toFile())
                    .withPull(false)
                    .withRemove(true)
                    .withForcerm(true)
                    .exec(callback)
                    .awaitImageId();
        } catch (DockerClientException | DockerException e) {
            throw new ImageConversionException("docker build of " + dockerfile + " failed: " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * The container config of an image ({@code Config} of {@code docker image inspect}).
     *
     * @throws ImageConversionException when the engine has no such image
     */
    public ContainerConfig imageConfig(String image) throws ImageConversionException {
        InspectImageResponse inspect = inspect(image);
        if (inspect.getConfig() == null) {
            return ContainerConfig.empty();
        }
        JsonNode config = JSON.valueToTree(inspect.getConfig());
        return ContainerConfig.fromJsonNode(config);
    }

    /** Receives an exported filesystem as one tar stream. */
    @FunctionalInterface
    public interface TarConsumer {
        void accept(InputStream tar) throws ImageConversionException, IOException;
    }

    /**
     * Streams the root filesystem of {@code image} as a tar ({@code docker export} of a container
     * created for this and removed afterwards; the container never runs).
     */
    public void exportFilesystem(String image, TarConsumer consumer) throws ImageConversionException, IOException {
        inspect(image);
        String container;
        try {
            container = client.createContainerCmd(image)
                    .withEntrypoint("/.golem-sandbox-export")
                    .withLabels(Map.of(EXPORT_LABEL, "true"))
                    .exec()
                    .getId();
        } catch (DockerException e) {
            throw new ImageConversionException("cannot create a container of " + image + " to export it: " + firstLine(e.getMessage()), e);
        }
        try (InputStream tar = client.exportContainerCmd(container).exec()) {
            consumer.accept(tar);
        } finally {
            try {
                client.removeContainerCmd(container).withForce(true).withRemoveVolumes(true).exec();
            } catch (DockerException e) {
                // Already gone; nothing else to clean.
            }
        }
    }

    /**
     * Removes an image this engine built for a conversion, unless something else names it (the
     * build produced an image that already had a tag, e.g. a Dockerfile with only FROM).
     *
     * @return whether the image was removed
     */
    public boolean removeImage(String imageId) {
        try {
            InspectImageResponse inspect = client.inspectImageCmd(imageId).exec();
            if (inspect.getRepoTags() != null && !inspect.getRepoTags().isEmpty()) {
                return false;
            }
            client.removeImageCmd(imageId).withForce(false).exec();
            return true;
        } catch (DockerException e) {
            return false;
        }
    }

    /** The Docker client, for callers that need more than this class offers (tests that import base images). */
    public DockerClient client() {
        return client;
    }

    @Override
    public void close() throws IOException {
        client.close();
    }

    private InspectImageResponse inspect(String image) throws ImageConversionException {
        try {
            return client.inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            throw new ImageConversionException("the Docker engine at " + description + " has no image '" + image
                    + "' (nothing can be pulled: build or load it first)");
        } catch (DockerException e) {
            throw new ImageConversionException("cannot inspect Docker image '" + image + "': " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        String line = message.strip();
        int nl = line.indexOf('\n');
        return nl < 0 ? line : line.substring(0, nl);
    }
}
