package dev.golemsandbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.golemsandbox.gvmi.ContainerConfig;
import dev.golemsandbox.gvmi.GvmiImage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dockerfiles built by the real Docker engine and images taken from it, converted to GVMI. */
class DockerImageConversionTest {

    private static DockerEngine engine;
    private static String base;

    @TempDir
    Path dir;

    @BeforeAll
    static void importBaseImage() throws Exception {
        engine = DockerEngine.connect();
        base = DockerBaseImages.importBusybox(engine);
    }

    @AfterAll
    static void removeBaseImage() throws Exception {
        if (engine != null) {
            DockerBaseImages.remove(engine, base);
            engine.close();
        }
    }

    @Test
    void dockerfileIsBuiltConvertedAndCleanedUp() throws Exception {
        Path context = Files.createDirectories(dir.resolve("context"));
        Files.writeString(context.resolve("payload.txt"), "from the build context\n");
        Files.writeString(context.resolve("Dockerfile"), String.join("\n",
                "FROM " + base,
                "ENV GREETING=hello APP_HOME=/app",
                "COPY payload.txt /app/payload.txt",
                "RUN echo built > /app/built.txt && chown 1000:1000 /app/built.txt && chmod 600 /app/built.txt",
                "WORKDIR /golem/work",
                "VOLUME /golem/input /golem/output",
                "USER 1000",
                ""));
        List<String> steps = new java.util.ArrayList<>();
        ProgressListener progress = RootfsConversionTest.recording(steps);

        String imageId = engine.build(context, context.resolve("Dockerfile"), progress);
        Path output = dir.resolve("built.gvmi");
        ConversionResult result;
        try {
            result = new GvmiConverter(Compression.LZO, progress).convertDockerImage(engine, imageId, ConfigOverrides.none(), output);
        } finally {
            assertThat(engine.removeImage(imageId)).as("the built image is removed").isTrue();
        }

        ContainerConfig config = GvmiImage.open(output).config();
        assertThat(config.envMap()).containsEntry("GREETING", "hello").containsEntry("APP_HOME", "/app");
        assertThat(config.workingDir()).contains("/golem/work");
        assertThat(config.volumes()).containsExactlyInAnyOrder("/golem/input", "/golem/output");
        assertThat(config.user()).contains("1000");
        assertThat(result.config()).isEqualTo(config);

        Map<String, SquashfsListing.Entry> files = SquashfsListing.of(output);
        assertThat(files.get("/app/built.txt").owner()).isEqualTo("1000:1000");
        assertThat(files.get("/app/built.txt").permissions()).isEqualTo("-rw-------");
        assertThat(files.get("/bin/sh").linkTarget()).isEqualTo("/bin/busybox");
        assertThat(files).containsKey("/golem/work");
        assertThat(SquashfsListing.cat(output, "/app/payload.txt")).isEqualTo("from the build context\n");

        assertThat(steps).anyMatch(s -> s.startsWith("docker build: Step 1/"));
        assertThatThrownBy(() -> engine.client().inspectImageCmd(imageId).exec()).isInstanceOf(NotFoundException.class);
        assertThat(engine.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerEngine.EXPORT_LABEL, "true")).exec())
                .as("export containers left behind").isEmpty();
    }

    @Test
    void engineImageByNameIsConverted() throws Exception {
        Path output = dir.resolve("base.gvmi");
        ConfigOverrides overrides = new ConfigOverrides("/golem/work", List.of(), List.of("/golem/output"), null, null, null);

        ConversionResult result = new GvmiConverter(Compression.LZO, ProgressListener.NONE)
                .convertDockerImage(engine, base, overrides, output);

        assertThat(SquashfsListing.of(output)).containsKeys("/bin/busybox", "/usr/bin/sha256sum");
        assertThat(result.config().volumes()).containsExactly("/golem/output");
        assertThat(result.config().workingDir()).contains("/golem/work");
    }

    @Test
    void failingBuildIsOneLineWithTheEngineReason() throws Exception {
        Path context = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(context.resolve("Dockerfile"), "FROM " + base + "\nRUN exit 3\n");
        assertThatThrownBy(() -> engine.build(context, context.resolve("Dockerfile"), ProgressListener.NONE))
                .isInstanceOf(ImageConversionException.class)
                .hasMessageStartingWith("docker build of " + context.resolve("Dockerfile") + " failed: ")
                .hasMessageContaining("non-zero code: 3")
                .hasMessageNotContaining("\n");
    }

    @Test
    void unknownImageNameSaysNothingCanBePulled() {
        assertThatThrownBy(() -> new GvmiConverter(Compression.LZO, ProgressListener.NONE)
                .convertDockerImage(engine, "golem-sandbox-test/nope:missing", ConfigOverrides.none(), dir.resolve("x.gvmi")))
                .isInstanceOf(ImageConversionException.class)
                .hasMessage("the Docker engine at " + engine.description() + " has no image 'golem-sandbox-test/nope:missing'"
                        + " (nothing can be pulled: build or load it first)");
    }

    @Test
    void noEngineReachableIsOneLineThatSaysSo() {
        URI nowhere = URI.create("unix://" + dir.resolve("docker.sock"));
        assertThatThrownBy(() -> DockerEngine.connect(nowhere))
                .isInstanceOf(ToolUnavailableException.class)
                .hasMessage("no Docker engine is reachable (" + nowhere + " does not answer): start dockerd"
                        + " (e.g. 'systemctl start docker') or point DOCKER_HOST at a running engine");
    }
}
