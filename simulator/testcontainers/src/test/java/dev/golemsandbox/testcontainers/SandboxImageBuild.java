package dev.golemsandbox.testcontainers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * Builds the sandbox image from the repository's Dockerfile as CI does: on the Debian base that
 * {@code .ci/docker-base-image} imports (nothing can be pulled), with the CLI jar that Maven's
 * {@code package} phase made. The image keeps its tag, so a rebuild reuses Docker's layer cache;
 * the image the tag named before is removed when nothing else uses it, so reruns leave no
 * untagged images behind.
 *
 * <pre>{@code
 * SandboxImageBuild.ensure(GolemSandboxContainer.DEFAULT_IMAGE_NAME.withTag(GolemSandboxContainer.DEFAULT_TAG).asCanonicalNameString());
 * }</pre>
 */
final class SandboxImageBuild {

    static final String BASE_IMAGE = "golem-sandbox-base:bookworm";

    private SandboxImageBuild() {
    }

    /**
     * Builds {@code tag}, failing with what to do when Docker, the base image or the jar is missing.
     */
    static void ensure(String tag) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new AssertionError("no Docker engine is reachable: start dockerd (the sandbox image tests need one)");
        }
        DockerClient docker = DockerClientFactory.instance().client();
        try {
            docker.inspectImageCmd(BASE_IMAGE).exec();
        } catch (NotFoundException e) {
            throw new AssertionError("the base image " + BASE_IMAGE + " is missing; make it with: .ci/docker-base-image"
                    + " (debootstrap + docker import, since nothing can be pulled)");
        }
        Path repository = Path.of(property("golem-sandbox.repository"));
        Path jar = Path.of(property("golem-sandbox.cli-jar"));
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("no CLI jar at " + jar + ": run this test with './mvnw verify' (after package)");
        }
        String previous = imageId(docker, tag);
        Instant started = Instant.now();
        System.out.println("[image] building " + tag + " on " + BASE_IMAGE);
        new ImageFromDockerfile(tag, false)
                .withFileFromPath("Dockerfile", repository.resolve("Dockerfile"))
                .withFileFromPath(".ci/container-launcher", repository.resolve(".ci/container-launcher"))
                .withFileFromPath("simulator/target/" + jar.getFileName(), jar)
                .withBuildArg("BASE", BASE_IMAGE)
                // A failed step's container is removed too: nothing the build made outlives it.
                .withBuildImageCmdModifier(cmd -> cmd.withForcerm(true).withPull(false))
                .get();
        System.out.printf("[image] %s built in %.1f s%n", tag, Duration.between(started, Instant.now()).toMillis() / 1000.0);
        if (previous != null && !previous.equals(imageId(docker, tag))) {
            try {
                docker.removeImageCmd(previous).exec();
            } catch (ConflictException | NotFoundException inUseOrGone) {
                // Another tag or a container still uses it, or it is gone already: not ours to remove.
            }
        }
    }

    private static String imageId(DockerClient docker, String image) {
        try {
            return docker.inspectImageCmd(image).exec().getId();
        } catch (NotFoundException e) {
            return null;
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new AssertionError("system property " + name + " is not set: run this test through Maven (failsafe sets it)");
        }
        return value;
    }
}
