package dev.golemsandbox.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.activity.exescript.TransferUrl;
import dev.golemsandbox.activity.transfer.GftpClient;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.StandIns;
import dev.golemsandbox.testing.ActivityHarness;
import dev.golemsandbox.testing.TestImages;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task package that names a public image hash the sandbox stands in for: deploy takes the
 * stand-in, whose hash differs, says so in its result, and takes nothing else for that hash.
 */
class HashStandInDeployTest {

    private static final String PUBLIC_HASH = "5".repeat(56);
    private static final String DEPLOY_START = "[{\"deploy\":{}},{\"start\":{}}]";

    @TempDir
    Path dir;

    private ActivityHarness sandbox;
    private String standInSha3;
    private Path standIn;

    @BeforeEach
    void start() throws Exception {
        GftpClient noGftp = new GftpClient() {
            @Override
            public void fetch(TransferUrl url, FileChannel target, long maxBytes) throws IOException {
                throw new IOException("no gftp in this test");
            }

            @Override
            public void send(FileChannel source, TransferUrl url) throws IOException {
                throw new IOException("no gftp in this test");
            }
        };
        SandboxHome home = new SandboxHome(Files.createDirectories(dir.resolve("home")));
        ImageStore store = new ImageStore(home.images(), StandIns.load(home, Map.of(StandIns.ENV, PUBLIC_HASH + "=me/node:1")));
        standIn = TestImages.withFiles(dir, "node.gvmi", TestImages.VOLUMES_CONFIG, Map.of("/usr/bin/node", "#!/bin/sh"));
        standInSha3 = store.put(standIn, null).sha3();
        store.tag("me/node:1", standInSha3);
        sandbox = new ActivityHarness(dir.resolve("sandbox"), noGftp, Duration.ofSeconds(15), config -> { }, store);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void theStandInOfAPublicHashIsDeployedAndAnnounced() throws Exception {
        sandbox.files.put("/download/" + PUBLIC_HASH, Files.readAllBytes(standIn));
        sandbox.agreements.add("agr-docs", "Approved", sandbox.runtime,
                ActivityHarness.taskPackage(PUBLIC_HASH, sandbox.files.url("/download/" + PUBLIC_HASH)));

        JsonNode results = sandbox.run(sandbox.create("agr-docs"), DEPLOY_START);

        assertThat(results.get(1).get("result").asText()).as(results.toString()).isEqualTo("Ok");
        assertThat(results.get(0).get("stdout").asText()).contains("the task package names the public image " + PUBLIC_HASH,
                "deployed its stand-in me/node:1 (sha3 " + standInSha3 + ") instead");
    }

    @Test
    void anyOtherFileForThatHashIsStillRefused() throws Exception {
        byte[] other = "neither the public image nor its stand-in".getBytes();
        sandbox.files.put("/download/" + PUBLIC_HASH, other);
        sandbox.agreements.add("agr-other", "Approved", sandbox.runtime,
                ActivityHarness.taskPackage(PUBLIC_HASH, sandbox.files.url("/download/" + PUBLIC_HASH)));

        JsonNode deploy = sandbox.run(sandbox.create("agr-other"), DEPLOY_START).get(0);

        assertThat(deploy.get("result").asText()).isEqualTo("Error");
        assertThat(deploy.get("message").asText()).startsWith("deploy failed: image hash mismatch:"
                + " golem.srv.comp.task_package asks for sha3 " + PUBLIC_HASH);
        assertThat(sandbox.runtime.units()).isEmpty();
    }
}
