package dev.golemsandbox.gsb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.activity.transfer.ImageCache;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.StandIns;
import dev.golemsandbox.store.StoredImage;
import dev.golemsandbox.testing.ActivityHarness;
import dev.golemsandbox.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploy of an image the requestor serves from its own disk, as golem-js does for
 * {@code imageUrl: "file://..."}: the task package is {@code hash:sha3:<sha3>:gftp://<node>/<id>},
 * deploy fetches the file over the requestor's GSB gftp service, checks its SHA3-224 and keeps it
 * in the image store. The requestor side is {@link ScriptedGolemJsStorage}; the image is the
 * gvmkit-build fixture {@code alpine.gvmi}. Real golem-js does the same in
 * {@code requestor-examples/js/local-image.mjs}.
 */
class RequestorServedImageTest {

    private static final String APP_KEY = "test-app-key";
    private static final String DEPLOY_START = "[{\"deploy\":{}},{\"start\":{}}]";

    @TempDir
    Path dir;

    private ActivityHarness sandbox;
    private ScriptedGolemJsStorage storage;
    private ImageStore store;

    @BeforeEach
    void start() throws IOException {
        GsbServices services = new GsbServices();
        GsbApi gsb = new GsbApi(services, APP_KEY::equals);
        GftpOverGsb gftp = new GftpOverGsb(services, Duration.ofSeconds(5), Duration.ofSeconds(30), 1 << 20, 4);
        store = new ImageStore(dir.resolve("images"), StandIns.builtIns());
        sandbox = new ActivityHarness(dir.resolve("sandbox"), gftp, Duration.ofSeconds(15), gsb::addRoutes, store);
        storage = new ScriptedGolemJsStorage(sandbox.http, sandbox.server.uri("/"), APP_KEY);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void deployFetchesTheRequestorsImageOverGftpAndKeepsItInTheStore() throws Exception {
        Path fixture = SharedFixtures.alpineGvmi();
        ScriptedGolemJsStorage.Service served = storage.publish(fixture);
        served.connect();
        sandbox.agreements.add("agr-local", "Approved", sandbox.runtime,
                ActivityHarness.taskPackage(SharedFixtures.ALPINE_SHA3, served.url()));

        JsonNode results = sandbox.run(sandbox.create("agr-local"), DEPLOY_START);

        assertThat(results.get(1).get("result").asText()).as(results.toString()).isEqualTo("Ok");
        StoredImage stored = store.byHash(SharedFixtures.ALPINE_SHA3).orElseThrow();
        assertThat(stored.origin()).isEqualTo(ImageCache.GFTP_ORIGIN);
        assertThat(Files.mismatch(stored.file(), fixture)).isEqualTo(-1L);
        assertThat(sandbox.runtime.units().get(0).image()).isEqualTo(stored.file());
        assertThat(served.requests).first().isEqualTo("GetMetadata");
        int requestsForTheFirstDeploy = served.requests.size();

        JsonNode again = sandbox.run(sandbox.create("agr-local"), DEPLOY_START);

        assertThat(again.get(1).get("result").asText()).as(again.toString()).isEqualTo("Ok");
        assertThat(served.requests).as("the second activity deploys the stored copy").hasSize(requestsForTheFirstDeploy);
    }

    @Test
    void aFileWhoseHashIsNotTheTaskPackagesIsRefusedAndNotKept() throws Exception {
        ScriptedGolemJsStorage.Service served = storage.publish(SharedFixtures.alpineGvmi());
        served.connect();
        String promised = "0".repeat(56);
        sandbox.agreements.add("agr-wrong", "Approved", sandbox.runtime,
                ActivityHarness.taskPackage(promised, served.url()));

        JsonNode deploy = sandbox.run(sandbox.create("agr-wrong"), DEPLOY_START).get(0);

        assertThat(deploy.get("result").asText()).isEqualTo("Error");
        assertThat(deploy.get("message").asText()).isEqualTo("deploy failed: image hash mismatch:"
                + " golem.srv.comp.task_package asks for sha3 " + promised + " but " + served.url()
                + " served over gftp a file whose SHA3-224 is " + SharedFixtures.ALPINE_SHA3);
        assertThat(store.list()).isEmpty();
        try (Stream<Path> incoming = Files.list(dir.resolve("images/incoming"))) {
            assertThat(incoming.toList()).as("no partial download is left").isEmpty();
        }
        assertThat(sandbox.runtime.units()).isEmpty();
    }

    @Test
    void aRequestorWhoStoppedServingGetsAClearError() throws Exception {
        ScriptedGolemJsStorage.Service served = storage.publish(SharedFixtures.alpineGvmi());
        served.connect();
        served.unbind();
        sandbox.agreements.add("agr-gone", "Approved", sandbox.runtime,
                ActivityHarness.taskPackage(SharedFixtures.ALPINE_SHA3, served.url()));

        JsonNode deploy = sandbox.run(sandbox.create("agr-gone"), DEPLOY_START).get(0);

        assertThat(deploy.get("result").asText()).isEqualTo("Error");
        assertThat(deploy.get("message").asText()).startsWith("deploy failed: no requestor service is bound at /public/gftp/");
        assertThat(store.list()).isEmpty();
    }
}
