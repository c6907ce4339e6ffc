package dev.golemsandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.http.UserError;
import dev.golemsandbox.image.DockerBaseImages;
import dev.golemsandbox.image.DockerEngine;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.StandIns;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code golem-sandbox image build} against the real Docker engine, from a base image the test imports itself. */
class ImageBuildCommandTest {

    private static DockerEngine engine;
    private static String base;

    @TempDir
    Path dir;

    @BeforeAll
    static void importBase() throws Exception {
        engine = DockerEngine.connect();
        base = DockerBaseImages.importBusybox(engine);
    }

    @AfterAll
    static void removeBase() throws Exception {
        if (engine != null) {
            DockerBaseImages.remove(engine, base);
            engine.close();
        }
    }

    @Test
    void buildConvertsStoresAndLeavesNoDockerImageBehind() throws Exception {
        Path context = Files.createDirectories(dir.resolve("context"));
        Files.createDirectories(context.resolve("docker"));
        Files.writeString(context.resolve("docker/golem.Dockerfile"), String.join("\n",
                "FROM " + base,
                "ENV GREETING=hello",
                "RUN mkdir -p /opt/app && echo ready > /opt/app/state",
                "WORKDIR /golem/work",
                "VOLUME /golem/input /golem/output",
                ""));
        int imagesBefore = engine.client().listImagesCmd().withShowAll(true).exec().size();
        String dataDir = dir.resolve("data").toString();

        CliRun build = CliRun.of("image", "build", context.toString(), "-f", context.resolve("docker/golem.Dockerfile").toString(),
                "-t", "me/built:1", "-o", dir.resolve("built.gvmi").toString(), "--data-dir", dataDir);

        assertThat(build.exitCode()).as(build.toString()).isZero();
        assertThat(build.err()).contains("docker build: Step 1/");
        String sha3 = build.field("sha3");
        assertThat(build.field("link")).isEqualTo("hash:sha3:" + sha3 + ":http://127.0.0.1:7465/download/" + sha3);
        var config = new ImageStore(Path.of(dataDir, "images"), StandIns.builtIns()).resolve("me/built:1").image().open().config();
        assertThat(config.envMap()).containsEntry("GREETING", "hello");
        assertThat(config.workingDir()).contains("/golem/work");
        assertThat(config.volumes()).containsExactlyInAnyOrder("/golem/input", "/golem/output");
        assertThat(engine.client().listImagesCmd().withShowAll(true).exec()).as("images left in the engine").hasSize(imagesBefore);

        CliRun missingTag = CliRun.of("image", "build", context.toString(), "-o", dir.resolve("x.gvmi").toString());
        assertThat(missingTag.exitCode()).isEqualTo(UserError.BAD_INPUT);
        assertThat(missingTag.err()).isEqualTo("error: image build needs -t repo:tag (the tag the image gets in the local registry)\n");
    }
}
