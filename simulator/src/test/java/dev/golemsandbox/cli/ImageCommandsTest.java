package dev.golemsandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.golemsandbox.gvmi.GvmiImage;
import dev.golemsandbox.gvmi.GvmiTrailer;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.image.LayerTarBuilder;
import dev.golemsandbox.image.SavedImages;
import dev.golemsandbox.registry.ImageRegistryApi;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.StandIns;
import dev.golemsandbox.testing.SharedFixtures;
import dev.golemsandbox.testing.TestImages;
import io.javalin.Javalin;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code golem-sandbox image ...} run through the CLI entry point, against real files, mksquashfs and a real registry. */
class ImageCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String dataDir;
    private Path rootfs;

    @BeforeEach
    void setUp() throws Exception {
        dataDir = dir.resolve("data").toString();
        rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("opt/app"));
        Files.writeString(rootfs.resolve("opt/app/run.sh"), "#!/bin/sh\necho hi\n");
    }

    @Test
    void convertPrintsFileSizeHashAndLinkAndStoresUnderTheTag() throws Exception {
        Path output = dir.resolve("out/app.gvmi");
        CliRun convert = CliRun.of("image", "convert", rootfs.toString(), "-o", output.toString(), "-t", "me/app:1",
                "--workdir", "/golem/work", "--env", "MODE=fast", "--env", "N=2", "--volume", "/golem/input",
                "--volume", "/golem/output", "--user", "1000:1000", "--entrypoint", "[\"/opt/app/run.sh\"]", "--cmd", "serve --now",
                "--data-dir", dataDir);

        assertThat(convert.exitCode()).as(convert.toString()).isZero();
        String sha3 = GvmiImage.open(output).sha3();
        assertThat(convert.field("file")).isEqualTo(output.toString());
        assertThat(convert.field("size")).endsWith("(" + Files.size(output) + " bytes)");
        assertThat(convert.field("sha3")).isEqualTo(sha3);
        assertThat(convert.field("tag")).isEqualTo("me/app:1");
        assertThat(convert.field("link")).isEqualTo("hash:sha3:" + sha3 + ":http://127.0.0.1:7465/download/" + sha3);
        assertThat(convert.err()).contains("warning: ENTRYPOINT [/opt/app/run.sh] / CMD [serve, --now] are ignored by providers");
        assertThat(convert.err()).contains("compressing squashfs (lzo) ...");

        CliRun inspect = CliRun.of("image", "inspect", "me/app:1", "--data-dir", dataDir);
        assertThat(inspect.exitCode()).as(inspect.toString()).isZero();
        assertThat(inspect.field("sha3")).isEqualTo(sha3);
        assertThat(inspect.field("compression")).isEqualTo("lzo");
        assertThat(inspect.field("workdir")).isEqualTo("/golem/work");
        assertThat(inspect.field("user")).isEqualTo("1000:1000");
        assertThat(inspect.field("volumes")).isEqualTo("/golem/input, /golem/output");
        assertThat(inspect.out()).contains("env:         MODE=fast").contains("env:         N=2");

        JsonNode json = JSON.readTree(CliRun.of("image", "inspect", output.toString(), "--json").out());
        assertThat(json.path("sha3").asText()).isEqualTo(sha3);
        assertThat(json.path("config").path("WorkingDir").asText()).isEqualTo("/golem/work");
        assertThat(json.path("config").path("Cmd")).hasSize(2);
        assertThat(json.path("config").path("Volumes").has("/golem/input")).isTrue();

        CliRun list = CliRun.of("image", "ls", "--data-dir", dataDir);
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).containsPattern("me/app:1\\s+" + sha3.substring(0, 12));
        assertThat(list.out()).containsPattern("golem/alpine:latest\\s+-> sandbox/busybox:latest \\(built-in\\)");

        CliRun remove = CliRun.of("image", "rm", "me/app:1", "--data-dir", dataDir);
        assertThat(remove.exitCode()).isZero();
        assertThat(remove.out()).contains("untagged: me/app:1").contains("deleted:  " + sha3);
        CliRun gone = CliRun.of("image", "inspect", "me/app:1", "--data-dir", dataDir);
        assertThat(gone.exitCode()).isEqualTo(UserError.BAD_INPUT);
        assertThat(gone.err()).isEqualTo("error: no image tagged me/app:1 in the local store\n");
    }

    @Test
    void convertWithOnlyATagWritesIntoTheStoreWithoutLeftovers() throws Exception {
        CliRun convert = CliRun.of("image", "convert", rootfs.toString(), "-t", "me/app", "--volume", "/golem/output",
                "--compression", "gzip", "--data-dir", dataDir);
        assertThat(convert.exitCode()).as(convert.toString()).isZero();
        Path stored = Path.of(convert.field("file"));
        assertThat(stored).startsWith(Path.of(dataDir, "images", "blobs"));
        assertThat(GvmiImage.open(stored).squashfsCompression()).isEqualTo("gzip");
        assertThat(convert.field("tag")).isEqualTo("me/app:latest");
        try (Stream<Path> incoming = Files.list(Path.of(dataDir, "images", "incoming"))) {
            assertThat(incoming.toList()).isEmpty();
        }
        assertThat(convert.err()).doesNotContain("warning:");
    }

    @Test
    void convertDockerSaveArchive() throws Exception {
        byte[] layer = new LayerTarBuilder().dir("etc", 0755, 0, 0).file("etc/hello", "hi", 0644, 0, 0).tar();
        Path archive = SavedImages.dockerSave(dir.resolve("app.tar"), TestImages.VOLUMES_CONFIG, List.of(layer));
        CliRun convert = CliRun.of("image", "convert", archive.toString(), "-o", dir.resolve("app.gvmi").toString(), "--data-dir", dataDir);
        assertThat(convert.exitCode()).as(convert.toString()).isZero();
        assertThat(convert.err()).contains("extracting layer 1/1");
        assertThat(GvmiImage.open(dir.resolve("app.gvmi")).config().volumes()).containsExactlyElementsOf(TestImages.VOLUMES_CONFIG.volumes());
    }

    @Test
    void userMistakesAreOneLineWithExitCode2() throws Exception {
        assertOneLineError(CliRun.of("image", "convert", "./nope", "-o", "x.gvmi", "--data-dir", dataDir),
                "error: no such file or directory: ./nope");
        assertOneLineError(CliRun.of("image", "convert", rootfs.toString(), "--data-dir", dataDir),
                "error: say where the image goes: -o FILE.gvmi and/or -t repo:tag");
        assertOneLineError(CliRun.of("image", "convert", rootfs.toString(), "-t", "Bad Tag", "--data-dir", dataDir),
                "error: -t: 'Bad Tag' is not an image tag: use repository:tag with a lower-case repository such as golem/alpine:latest");
        assertOneLineError(CliRun.of("image", "convert", rootfs.toString(), "-o", dir.resolve("x.gvmi").toString(), "--compression", "brotli"),
                "error: --compression: unknown compression 'brotli'; use one of lzo, gzip, lz4, xz, zstd");
        assertOneLineError(CliRun.of("image", "convert", rootfs.toString(), "-o", dir.resolve("x.gvmi").toString(), "--env", "NOVALUE"),
                "error: --env takes KEY=value, not 'NOVALUE'");
        assertOneLineError(CliRun.of("image", "convert", rootfs.toString(), "-o", dir.resolve("x.gvmi").toString(), "--workdir", "relative"),
                "error: --workdir must be an absolute path, not 'relative'");
        assertOneLineError(CliRun.of("image", "rm", "golem/alpine:latest", "--data-dir", dataDir),
                "error: golem/alpine:latest is a stand-in for sandbox/busybox:latest (built-in), not an image of its own; nothing to remove");
        assertThat(dir.resolve("x.gvmi")).doesNotExist();
    }

    @Test
    void maliciousArchiveIsRefusedAndNothingIsWritten() throws Exception {
        byte[] layer = new LayerTarBuilder().rawFile("../../escaped.txt", "pwned").tar();
        Path archive = SavedImages.dockerSave(dir.resolve("evil.tar"), TestImages.VOLUMES_CONFIG, List.of(layer));
        Path out = Files.createDirectories(dir.resolve("out"));
        CliRun convert = CliRun.of("image", "convert", archive.toString(), "-o", out.resolve("evil.gvmi").toString(), "--data-dir", dataDir);
        assertThat(convert.exitCode()).isEqualTo(UserError.BAD_INPUT);
        assertThat(convert.errorLines()).isEqualTo(1);
        assertThat(convert.err()).contains("refused entry '../../escaped.txt': '..' would climb out of the image root");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.toList()).isEmpty();
        }
        assertThat(dir.resolve("escaped.txt")).doesNotExist();
    }

    @Test
    void convertRefusesAnImageThatUnpacksToMoreThanTheLimitGiven() throws Exception {
        byte[] layer = new LayerTarBuilder().file("big.bin", new byte[2 << 20], 0644, 0, 0).gzip();
        Path archive = SavedImages.dockerSave(dir.resolve("big.tar"), TestImages.VOLUMES_CONFIG, List.of(layer));
        Path out = Files.createDirectories(dir.resolve("out"));

        CliRun convert = CliRun.of("image", "convert", archive.toString(), "-o", out.resolve("big.gvmi").toString(),
                "--max-image-bytes", "1m", "--data-dir", dataDir);

        assertThat(convert.exitCode()).as(convert.toString()).isEqualTo(UserError.BAD_INPUT);
        assertThat(convert.errorLines()).isEqualTo(1);
        assertThat(convert.err()).contains("refused entry 'big.bin': the image unpacks to more than 1 MiB; if it really is that"
                + " large, raise the limit with --max-image-bytes or GOLEM_SANDBOX_MAX_IMAGE_BYTES");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.toList()).isEmpty();
        }
        CliRun entries = CliRun.of("image", "convert", archive.toString(), "-o", out.resolve("big.gvmi").toString(),
                "--max-image-entries", "1", "--data-dir", dataDir);
        assertThat(entries.exitCode()).as(entries.toString()).isZero();
    }

    @Test
    void inspectOfACorruptFileNamesTheFileAndTheProblem() throws Exception {
        Path image = TestImages.withFiles(dir, "ok.gvmi", TestImages.VOLUMES_CONFIG, Map.of("/a", "a"));
        byte[] bytes = Files.readAllBytes(image);
        int json = bytes.length - GvmiTrailer.LENGTH_FIELD_BYTES - 10;
        bytes[json] ^= 0x20;
        Path corrupt = Files.write(dir.resolve("corrupt.gvmi"), bytes);
        CliRun inspect = CliRun.of("image", "inspect", corrupt.toString());
        assertThat(inspect.exitCode()).isEqualTo(UserError.BAD_INPUT);
        assertThat(inspect.err()).startsWith("error: " + corrupt + ": metadata CRC mismatch (stored ");
        assertThat(inspect.errorLines()).isEqualTo(1);
        assertThat(inspect.err()).doesNotContain("at dev.golemsandbox");
    }

    @Test
    void theGvmkitBuildFixtureInspectsPushesAndLists() throws Exception {
        Path fixture = SharedFixtures.alpineGvmi();

        CliRun inspect = CliRun.of("image", "inspect", fixture.toString());
        assertThat(inspect.exitCode()).as(inspect.toString()).isZero();
        assertThat(inspect.field("sha3")).isEqualTo(SharedFixtures.ALPINE_SHA3);
        assertThat(inspect.field("compression")).isEqualTo("lzo");
        assertThat(inspect.field("workdir")).isEqualTo("/golem/work");
        assertThat(inspect.field("cmd")).startsWith("[/bin/sh]");

        CliRun push = CliRun.of("image", "push", fixture.toString(), "-t", "me/alpine:1", "--data-dir", dataDir);
        assertThat(push.exitCode()).as(push.toString()).isZero();
        assertThat(push.field("sha3")).isEqualTo(SharedFixtures.ALPINE_SHA3);
        assertThat(CliRun.of("image", "ls", "--data-dir", dataDir).out())
                .containsPattern("me/alpine:1\\s+" + SharedFixtures.ALPINE_SHA3.substring(0, 12) + "\\s+3.4 MiB\\s+local");
    }

    @Test
    void inspectOfAPublicTagSaysItIsAStandIn() throws Exception {
        CliRun inspect = CliRun.of("image", "inspect", "golem/alpine:latest", "--data-dir", dataDir);
        assertThat(inspect.exitCode()).as(inspect.toString()).isZero();
        assertThat(inspect.field("stand-in")).isEqualTo("golem/alpine:latest is a public image the offline sandbox does not have;"
                + " sandbox/busybox:latest stands in for it (built-in): busybox (a shell and the usual tools,"
                + " as Alpine's own busybox userland), not Alpine's apk packages");
        assertThat(inspect.field("tags")).isEqualTo("sandbox/busybox:latest");
        assertThat(inspect.field("volumes")).isEqualTo("/golem/input, /golem/output, /golem/work");
    }

    @Test
    void pushIntoTheLocalStoreAndOverHttpToARunningRegistry() throws Exception {
        Path image = TestImages.withFiles(dir, "app.gvmi", TestImages.VOLUMES_CONFIG, Map.of("/a", "a"));
        String sha3 = GvmiImage.open(image).sha3();

        CliRun local = CliRun.of("image", "push", image.toString(), "-t", "me/app:1", "--data-dir", dataDir);
        assertThat(local.exitCode()).as(local.toString()).isZero();
        assertThat(local.field("sha3")).isEqualTo(sha3);
        assertThat(new ImageStore(Path.of(dataDir, "images"), StandIns.builtIns()).resolve("me/app:1").image().sha3()).isEqualTo(sha3);

        ImageStore remoteStore = new ImageStore(dir.resolve("remote/images"), StandIns.builtIns());
        URI publicUrl = URI.create("http://sandbox.example:8000");
        Javalin server = Javalin.create(new ImageRegistryApi(remoteStore, publicUrl)::addRoutes).start("127.0.0.1", 0);
        try {
            String registry = "http://127.0.0.1:" + server.port();
            CliRun anonymous = CliRun.of("image", "push", image.toString(), "-t", "me/remote:2", "--registry", registry);
            assertThat(anonymous.exitCode()).isEqualTo(UserError.BAD_INPUT);
            assertThat(anonymous.err()).startsWith("error: the registry at " + registry + " refused the image (HTTP 403):"
                    + " the tag me/remote:2 belongs to the registry user me, who does not exist here:");
            CliRun user = CliRun.of("registry", "user", "add", "me", "--data-dir", dir.resolve("remote").toString());
            assertThat(user.exitCode()).as(user.toString()).isZero();
            assertThat(CliRun.of("registry", "user", "ls", "--data-dir", dir.resolve("remote").toString()).out()).isEqualTo("me\n");
            CliRun remote = CliRun.of("image", "push", image.toString(), "-t", "me/remote:2", "--registry", registry,
                    "--token", user.field("token"));
            assertThat(remote.exitCode()).as(remote.toString()).isZero();
            assertThat(remote.field("link")).isEqualTo("hash:sha3:" + sha3 + ":" + publicUrl + "/download/" + sha3);
            assertThat(remoteStore.resolve("me/remote:2").image().sha3()).isEqualTo(sha3);
        } finally {
            server.stop();
        }

        // A port bound without listening refuses connections, and nobody else can take it meanwhile
        // (a ServerSocket closed before use could be taken by another process and answer).
        try (Socket closedPort = new Socket()) {
            closedPort.setReuseAddress(false);
            closedPort.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String nowhere = "http://127.0.0.1:" + closedPort.getLocalPort();
            CliRun unreachable = CliRun.of("image", "push", image.toString(), "--registry", nowhere);
            assertThat(unreachable.exitCode()).isEqualTo(UserError.UNAVAILABLE);
            assertThat(unreachable.err()).startsWith("error: cannot reach the registry at " + nowhere + " (ConnectException");
            assertThat(unreachable.errorLines()).isEqualTo(1);
        }
    }

    @Test
    void withoutADockerEngineBuildAndEngineImagesSaySoInOneLine() throws Exception {
        Files.writeString(rootfs.resolve("Dockerfile"), "FROM scratch\n");
        String socket = "unix://" + dir.resolve("no-docker.sock");
        for (List<String> args : List.of(
                List.of("image", "build", rootfs.toString(), "-t", "me/app:1", "--data-dir", dataDir),
                List.of("image", "convert", "me/some-image:1", "-o", dir.resolve("x.gvmi").toString()))) {
            ProcessBuilder cli = new ProcessBuilder(Stream.concat(Stream.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    GolemSandboxCommand.class.getName()), args.stream()).toList());
            cli.environment().put("DOCKER_HOST", socket);
            Process process = cli.start();
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(stderr).isEqualTo(UserError.UNAVAILABLE);
            assertThat(stderr).isEqualTo("error: no Docker engine is reachable (" + socket + " does not answer): start dockerd"
                    + " (e.g. 'systemctl start docker') or point DOCKER_HOST at a running engine\n");
            assertThat(stdout).isEmpty();
        }
    }

    private static void assertOneLineError(CliRun run, String message) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(UserError.BAD_INPUT);
        assertThat(run.err()).isEqualTo(message + "\n");
        assertThat(run.out()).isEmpty();
    }
}
