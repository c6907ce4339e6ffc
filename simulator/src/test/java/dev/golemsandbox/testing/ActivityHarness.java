package dev.golemsandbox.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.golemsandbox.activity.ActivityApi;
import dev.golemsandbox.activity.ActivityService;
import dev.golemsandbox.activity.transfer.GftpClient;
import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.VmRuntime;
import dev.golemsandbox.gvmi.Sha3;
import dev.golemsandbox.store.ImageStore;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * The activity API on a real server with everything around it faked for unit tests: a market
 * with one approved agreement ("agr-1") whose image a loopback file server serves, and a
 * {@link FakeVmRuntime} whose images have the volumes /golem/input and /golem/output. Tests of
 * what a hostile guest can do give it a real runtime and image instead ({@link #real}).
 */
public final class ActivityHarness implements AutoCloseable {

    public static final byte[] IMAGE = "a fake GVMI image".getBytes(StandardCharsets.UTF_8);

    /** The fake runtime; null in a harness made by {@link #real}. */
    public final FakeVmRuntime runtime;
    private final VmRuntime vmRuntime;
    public final FakeAgreements agreements = new FakeAgreements();
    public final FileServer files;
    public final ActivityService service;
    public final TestServer server;
    public final Http http;
    public final Path deployCache;
    public final Path workRoot;

    /**
     * @param dir         a temp dir for the deploy cache and activity directories
     * @param gftp        gftp as the test needs it
     * @param extraRoutes more routes on the same server (e.g. the GSB API)
     */
    public ActivityHarness(Path dir, GftpClient gftp, Duration pingInterval, Consumer<JavalinConfig> extraRoutes)
            throws IOException {
        this(dir, gftp, pingInterval, extraRoutes, null);
    }

    /** The same, keeping images requestors serve over gftp in {@code images}. */
    public ActivityHarness(Path dir, GftpClient gftp, Duration pingInterval, Consumer<JavalinConfig> extraRoutes,
                           ImageStore images) throws IOException {
        this(dir, gftp, pingInterval, extraRoutes, new FakeVmRuntime("/golem/input", "/golem/output"), IMAGE,
                Resources.DEFAULT, images);
    }

    /**
     * A harness whose agreement "agr-1" runs {@code image} (a real GVMI) on {@code vmRuntime} with
     * {@code resources}; closing the harness closes the runtime.
     */
    public static ActivityHarness real(Path dir, GftpClient gftp, VmRuntime vmRuntime, byte[] image, Resources resources)
            throws IOException {
        return new ActivityHarness(dir, gftp, Duration.ofMillis(200), config -> { }, vmRuntime, image, resources, null);
    }

    private ActivityHarness(Path dir, GftpClient gftp, Duration pingInterval, Consumer<JavalinConfig> extraRoutes,
                            VmRuntime vmRuntime, byte[] image, Resources resources, ImageStore images) throws IOException {
        this.vmRuntime = vmRuntime;
        this.runtime = vmRuntime instanceof FakeVmRuntime fake ? fake : null;
        files = new FileServer();
        files.put("/image.gvmi", image);
        agreements.add("agr-1", "Approved", vmRuntime, taskPackage(sha3_224(image), files.url("/image.gvmi")), resources);
        deployCache = Files.createDirectories(dir.resolve("deploy-cache"));
        workRoot = Files.createDirectories(dir.resolve("activities"));
        service = new ActivityService(agreements, gftp, deployCache, workRoot, images);
        ActivityApi api = new ActivityApi(service, pingInterval);
        server = new TestServer(config -> {
            api.addRoutes(config);
            extraRoutes.accept(config);
        });
        http = new Http(server);
    }

    public static String taskPackage(String hash, String url) {
        return "hash:sha3:" + hash + ":" + url;
    }

    public static String sha3_224(byte[] bytes) {
        return HexFormat.of().formatHex(Sha3.digest("SHA3-224").digest(bytes));
    }

    /** Creates an activity on agr-1 and returns its id. */
    public String create() {
        return create("agr-1");
    }

    public String create(String agreementId) {
        Http.Response created = http.post("/activity-api/v1/activity",
                JsonNodeFactory.instance.objectNode().put("agreementId", agreementId));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("activityId").asText();
    }

    /** Sends a batch (an ExeScript JSON array) and returns its id. */
    public String exec(String activityId, String script) {
        Http.Response sent = http.post("/activity-api/v1/activity/" + activityId + "/exec",
                JsonNodeFactory.instance.objectNode().put("text", script));
        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        assertThat(sent.contentType()).startsWith("application/json");
        return sent.json().asText();
    }

    /** The batch's results after it finished (the long-poll waits up to 30 s). */
    public JsonNode finished(String activityId, String batchId) {
        Http.Response results = http.get("/activity-api/v1/activity/" + activityId + "/exec/" + batchId + "?timeout=30");
        assertThat(results.status()).as(results.text()).isEqualTo(200);
        JsonNode array = results.json();
        assertThat(array.isArray()).isTrue();
        assertThat(array.get(array.size() - 1).get("isBatchFinished").asBoolean())
                .as("the batch finished within the poll: %s", array).isTrue();
        return array;
    }

    /** Runs a batch to its end and returns its results. */
    public JsonNode run(String activityId, String script) {
        return finished(activityId, exec(activityId, script));
    }

    /** A new activity on agr-1, deployed and started. */
    public String ready() {
        String id = create();
        JsonNode results = run(id, "[{\"deploy\":{}},{\"start\":{}}]");
        assertThat(results.get(1).get("result").asText()).as(results.toString()).isEqualTo("Ok");
        return id;
    }

    /** Destroys an activity through the API. */
    public void destroyed(String activityId) {
        Http.Response destroyed = http.delete("/activity-api/v1/activity/" + activityId);
        assertThat(destroyed.status()).as(destroyed.text()).isEqualTo(204);
    }

    public JsonNode state(String activityId) {
        return http.get("/activity-api/v1/activity/" + activityId + "/state").json();
    }

    /** Waits until the activity's state pair is {@code state}, e.g. {@code ["Ready","Ready"]} while a batch runs. */
    public void awaitState(String activityId, String state) {
        Await.until("activity " + activityId + " in state " + state,
                () -> state(activityId).get("state").toString().equals(state));
    }

    @Override
    public void close() {
        server.close();
        service.close();
        vmRuntime.close();
        files.close();
    }
}
