package dev.golemsandbox.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.activity.exescript.ParsedScript;
import dev.golemsandbox.activity.exescript.TransferUrl;
import dev.golemsandbox.activity.transfer.GftpClient;
import dev.golemsandbox.testing.ActivityHarness;
import dev.golemsandbox.testing.Await;
import dev.golemsandbox.testing.EventStreamReader;
import dev.golemsandbox.testing.Http;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The activity API over real HTTP, with a fake exe-unit behind it (see {@link dev.golemsandbox.testing.FakeVmRuntime}). */
class ActivityApiTest {

    private static final String API = "/activity-api/v1/activity/";
    private static final String DEPLOY_START = "[{\"deploy\":{}},{\"start\":{}}]";

    @TempDir
    Path dir;

    private ActivityHarness sandbox;
    private Http http;

    @BeforeEach
    void start() throws IOException {
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
        sandbox = new ActivityHarness(dir, noGftp, Duration.ofMillis(200), config -> { });
        http = sandbox.http;
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private static String run(String entryPoint, String args, String capture) {
        return "{\"run\":{\"entry_point\":\"" + entryPoint + "\",\"args\":" + args
                + (capture == null ? "" : ",\"capture\":" + capture) + "}}";
    }

    private static final String AT_END = "{\"stdout\":{\"atEnd\":{\"format\":\"string\"}},"
            + "\"stderr\":{\"atEnd\":{\"format\":\"string\"}}}";
    private static final String STREAM = "{\"stdout\":{\"stream\":{}},\"stderr\":{\"stream\":{}}}";

    @Test
    void createAnswersAnObjectAndTheActivityStartsInitialized() {
        Http.Response created = http.post("/activity-api/v1/activity?timeout=5", "{\"agreementId\":\"agr-1\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.contentType()).startsWith("application/json");
        String id = created.json().get("activityId").asText();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(sandbox.state(id).toString())
                .isEqualTo("{\"state\":[\"Initialized\",null],\"reason\":null,\"errorMessage\":null}");
        Http.Response agreement = http.get(API + id + "/agreement");
        assertThat(agreement.contentType()).startsWith("application/json");
        assertThat(agreement.text()).isEqualTo("\"agr-1\"");
        JsonNode usage = http.get(API + id + "/usage").json();
        assertThat(usage.get("currentUsage").size()).isEqualTo(2);
        assertThat(usage.get("currentUsage").get(0).asDouble()).isZero();
        assertThat(usage.get("timestamp").asLong()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
        assertThat(sandbox.agreements.started()).containsExactly(id);
    }

    @Test
    void createAcceptsTheAgreementIdAsAJsonString() {
        Http.Response created = http.post("/activity-api/v1/activity", "\"agr-1\"");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().has("activityId")).isTrue();
    }

    @Test
    void createRefusesUnknownUnapprovedAndMalformed() {
        sandbox.agreements.add("agr-pending", "Pending", sandbox.runtime, null);

        Http.Response unknown = http.post("/activity-api/v1/activity", "{\"agreementId\":\"nope\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.message()).isEqualTo("agreement nope not found");

        Http.Response pending = http.post("/activity-api/v1/activity", "{\"agreementId\":\"agr-pending\"}");
        assertThat(pending.status()).isEqualTo(409);
        assertThat(pending.message())
                .isEqualTo("agreement agr-pending is Pending; activities can only be created on an Approved agreement");

        Http.Response malformed = http.post("/activity-api/v1/activity", "{\"agreementId\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.message()).startsWith("the body is not valid JSON");

        Http.Response noId = http.post("/activity-api/v1/activity", "{}");
        assertThat(noId.status()).isEqualTo(400);
        assertThat(noId.message()).isEqualTo("the body must be {\"agreementId\":\"<id of an approved agreement>\"}");
    }

    @Test
    void createIsRefusedWhenTheProviderIsFull() {
        sandbox.agreements.capacity(1);
        sandbox.create();

        Http.Response full = http.post("/activity-api/v1/activity", "{\"agreementId\":\"agr-1\"}");

        assertThat(full.status()).isEqualTo(409);
        assertThat(full.message()).isEqualTo("provider-agr-1 already runs 1 activities");
    }

    @Test
    void deployAndStartMakeTheActivityReady() {
        String id = sandbox.create();

        JsonNode results = sandbox.run(id, DEPLOY_START);

        assertThat(results.size()).isEqualTo(2);
        JsonNode deploy = results.get(0);
        assertThat(deploy.get("index").asInt()).isZero();
        assertThat(deploy.get("result").asText()).isEqualTo("Ok");
        assertThat(deploy.get("isBatchFinished").asBoolean()).isFalse();
        assertThat(deploy.get("eventDate").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        JsonNode report = Http.json(deploy.get("stdout").asText());
        assertThat(report.get("valid").get("Ok").asText()).isEmpty();
        assertThat(report.get("vols").findValuesAsText("path")).containsExactly("/golem/input", "/golem/output");
        assertThat(report.get("startMode").asText()).isEqualTo("blocking");
        assertThat(results.get(1).get("result").asText()).isEqualTo("Ok");
        assertThat(results.get(1).get("isBatchFinished").asBoolean()).isTrue();
        assertThat(sandbox.state(id).get("state").toString()).isEqualTo("[\"Ready\",null]");
        Path cached = sandbox.deployCache.resolve(ActivityHarness.sha3_224(ActivityHarness.IMAGE) + ".gvmi");
        assertThat(cached).hasBinaryContent(ActivityHarness.IMAGE);
        assertThat(sandbox.runtime.units().get(0).image()).isEqualTo(cached);
    }

    @Test
    void aCachedImageIsNotDownloadedAgain() {
        sandbox.ready();
        sandbox.ready();

        assertThat(sandbox.files.gets()).isEqualTo(1);
        assertThat(sandbox.runtime.units()).hasSize(2);
    }

    @Test
    void runOutputIsKeptOnlyAsCaptured() {
        String id = sandbox.ready();

        JsonNode results = sandbox.run(id, "[" + run("/bin/echo", "[\"hello\",\"world\"]", AT_END) + ","
                + run("/bin/echo", "[\"dropped\"]", null) + ","
                + "{\"run\":{\"entry_point\":\"/bin/printenv\",\"args\":[\"GREETING\"],\"env\":{\"GREETING\":\"hi\"},"
                + "\"capture\":" + AT_END + "}},"
                + run("/bin/bytes", "[\"3\"]", "{\"stdout\":{\"atEnd\":{\"format\":\"binary\"}}}") + "]");

        assertThat(results.get(0).get("stdout").asText()).isEqualTo("hello world\n");
        assertThat(results.get(0).get("stderr").isNull()).isTrue();
        assertThat(results.get(1).get("result").asText()).isEqualTo("Ok");
        assertThat(results.get(1).get("stdout").isNull()).isTrue();
        assertThat(results.get(2).get("stdout").asText()).isEqualTo("hi\n");
        assertThat(results.get(3).get("stdout").toString()).isEqualTo("[0,1,2]");
    }

    @Test
    void aNonZeroExitCodeIsAnErrorThatEndsTheBatch() {
        String id = sandbox.ready();

        JsonNode results = sandbox.run(id, "[" + run("/bin/fail", "[\"3\",\"boom\"]", AT_END) + ","
                + run("/bin/echo", "[\"never\"]", AT_END) + "]");

        assertThat(results.size()).isEqualTo(1);
        JsonNode failed = results.get(0);
        assertThat(failed.get("result").asText()).isEqualTo("Error");
        assertThat(failed.get("message").asText()).isEqualTo("ExeScript command exited with code 3");
        assertThat(failed.get("stderr").asText()).isEqualTo("boom\n");
        assertThat(failed.get("isBatchFinished").asBoolean()).isTrue();
        assertThat(sandbox.state(id).get("state").toString()).isEqualTo("[\"Ready\",null]");
    }

    @Test
    void commandsMustComeInTheExeUnitsOrder() {
        String id = sandbox.create();

        JsonNode runFirst = sandbox.run(id, "[" + run("/bin/echo", "[]", null) + "]");
        assertThat(runFirst.get(0).get("message").asText()).isEqualTo("run is only allowed in state Ready, but the"
                + " activity is Initialized (deploy and start first)");

        JsonNode startFirst = sandbox.run(id, "[{\"start\":{}}]");
        assertThat(startFirst.get(0).get("message").asText()).isEqualTo("start is only allowed in state Deployed,"
                + " but the activity is Initialized (start comes right after deploy)");

        JsonNode transferFirst = sandbox.run(id, "[{\"transfer\":{\"from\":\"/golem/input/a\",\"to\":\"/golem/input/b\"}}]");
        assertThat(transferFirst.get(0).get("message").asText()).isEqualTo("transfer is only allowed in state Ready,"
                + " but the activity is Initialized (deploy and start first)");

        sandbox.run(id, DEPLOY_START);
        JsonNode deployAgain = sandbox.run(id, "[{\"deploy\":{}}]");
        assertThat(deployAgain.get(0).get("result").asText()).isEqualTo("Error");
        assertThat(deployAgain.get(0).get("message").asText()).isEqualTo("deploy is only allowed in state Initialized,"
                + " but the activity is Ready (deploy runs once, on a new activity)");
    }

    @Test
    void aSecondCommandWhileOneRunsIsBusy() throws Exception {
        String id = sandbox.ready();
        String slow = sandbox.exec(id, "[" + run("/bin/gate", "[\"g\",\"done\"]", AT_END) + "]");
        sandbox.awaitState(id, "[\"Ready\",\"Ready\"]");

        JsonNode busy = sandbox.run(id, "[" + run("/bin/echo", "[\"x\"]", AT_END) + "]");

        assertThat(busy.get(0).get("result").asText()).isEqualTo("Error");
        assertThat(busy.get(0).get("message").asText()).isEqualTo("Busy: the activity is running another command"
                + " (Ready -> Ready); send the next batch when it has finished");
        sandbox.runtime.open("g");
        assertThat(sandbox.finished(id, slow).get(0).get("stdout").asText()).isEqualTo("done\n");
    }

    @Test
    void resultsLongPollUntilTheBatchFinishesOrTheTimeout() throws Exception {
        String id = sandbox.ready();
        String batch = sandbox.exec(id, "[" + run("/bin/gate", "[\"g\",\"late\"]", AT_END) + "]");

        Http.Response early = http.get(API + id + "/exec/" + batch + "?timeout=0.2");
        assertThat(early.status()).isEqualTo(200);
        assertThat(early.text()).isEqualTo("[]");

        CompletableFuture<HttpResponse<String>> waiting = http.client().sendAsync(
                HttpRequest.newBuilder(sandbox.server.uri(API + id + "/exec/" + batch + "?timeout=30")).build(),
                HttpResponse.BodyHandlers.ofString());
        sandbox.runtime.open("g");
        JsonNode results = Http.json(waiting.get(30, TimeUnit.SECONDS).body());

        assertThat(results.size()).isEqualTo(1);
        assertThat(results.get(0).get("stdout").asText()).isEqualTo("late\n");
        assertThat(results.get(0).get("isBatchFinished").asBoolean()).isTrue();
    }

    @Test
    void commandIndexWaitsForThatCommandAndShowsOnlyItsOutput() {
        String id = sandbox.ready();
        String batch = sandbox.exec(id, "[" + run("/bin/echo", "[\"a\"]", AT_END) + ","
                + run("/bin/echo", "[\"b\"]", AT_END) + "]");
        sandbox.finished(id, batch);

        JsonNode first = http.get(API + id + "/exec/" + batch + "?timeout=5&commandIndex=0").json();
        assertThat(first.size()).isEqualTo(1);
        assertThat(first.get(0).get("stdout").asText()).isEqualTo("a\n");
        assertThat(first.get(0).get("isBatchFinished").asBoolean()).isTrue();

        JsonNode second = http.get(API + id + "/exec/" + batch + "?commandIndex=1").json();
        assertThat(second.size()).isEqualTo(2);
        assertThat(second.get(0).get("stdout").isNull()).isTrue();
        assertThat(second.get(1).get("stdout").asText()).isEqualTo("b\n");

        Http.Response outOfRange = http.get(API + id + "/exec/" + batch + "?commandIndex=2");
        assertThat(outOfRange.status()).isEqualTo(400);
        assertThat(outOfRange.message()).isEqualTo("commandIndex 2 is out of range: the batch has 2 commands");
        Http.Response badTimeout = http.get(API + id + "/exec/" + batch + "?timeout=soon");
        assertThat(badTimeout.status()).isEqualTo(400);
        assertThat(badTimeout.message()).isEqualTo("timeout must be a number of seconds, 0 or more; got \"soon\"");
    }

    @Test
    void eventStreamSendsRuntimeEventsAsTheyHappenAndReplaysThemToLateSubscribers() throws Exception {
        String id = sandbox.ready();
        String batch = sandbox.exec(id, "[" + run("/bin/gate", "[\"g\",\"one\",\"two\"]", STREAM) + "]");
        java.net.URI url = sandbox.server.uri(API + id + "/exec/" + batch);

        try (EventStreamReader live = new EventStreamReader(http.client(), url)) {
            assertThat(live.contentType()).startsWith("text/event-stream");
            EventStreamReader.Item started = live.nextEvent();
            assertThat(started.event()).isEqualTo("runtime");
            assertThat(started.id()).isEqualTo("0");
            assertThat(started.data().get("batch_id").asText()).isEqualTo(batch);
            assertThat(started.data().get("index").asInt()).isZero();
            assertThat(started.data().get("timestamp").asText())
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
            assertThat(started.data().get("kind").get("started").get("command").get("run").get("entry_point").asText())
                    .isEqualTo("/bin/gate");

            EventStreamReader.Item quiet = live.next();
            assertThat(quiet.comment()).as("a ping while nothing happens").isEqualTo(":ping");

            sandbox.runtime.open("g");
            assertThat(live.nextEvent().data().get("kind").toString()).isEqualTo("{\"stdout\":\"one\\n\"}");
            sandbox.runtime.open("g");
            assertThat(live.nextEvent().data().get("kind").toString()).isEqualTo("{\"stdout\":\"two\\n\"}");
            EventStreamReader.Item finished = live.nextEvent();
            assertThat(finished.data().get("kind").toString())
                    .isEqualTo("{\"finished\":{\"return_code\":0,\"message\":null}}");
            assertThat(finished.id()).isEqualTo("3");
            assertThat(live.nextEvent().end()).as("the stream ends after the last finished event").isTrue();
        }

        try (EventStreamReader late = new EventStreamReader(http.client(), url)) {
            assertThat(late.nextEvent().data().get("kind").has("started")).isTrue();
            assertThat(late.nextEvent().data().get("kind").get("stdout").asText()).isEqualTo("one\n");
            assertThat(late.nextEvent().data().get("kind").get("stdout").asText()).isEqualTo("two\n");
            assertThat(late.nextEvent().data().get("kind").has("finished")).isTrue();
            assertThat(late.nextEvent().end()).isTrue();
        }
    }

    @Test
    void eventStreamReportsAFailureAsANonZeroReturnCode() throws Exception {
        String id = sandbox.ready();
        String batch = sandbox.exec(id, "[" + run("/bin/fail", "[\"2\",\"bad\"]", STREAM) + ","
                + run("/bin/echo", "[\"never\"]", STREAM) + "]");

        try (EventStreamReader stream = new EventStreamReader(http.client(), sandbox.server.uri(API + id + "/exec/" + batch))) {
            assertThat(stream.nextEvent().data().get("kind").has("started")).isTrue();
            assertThat(stream.nextEvent().data().get("kind").toString()).isEqualTo("{\"stderr\":\"bad\\n\"}");
            assertThat(stream.nextEvent().data().get("kind").toString())
                    .isEqualTo("{\"finished\":{\"return_code\":2,\"message\":\"ExeScript command exited with code 2\"}}");
            assertThat(stream.nextEvent().end()).isTrue();
        }
    }

    @Test
    void destroyStopsTheVmAndLeavesTheActivityReadableAsTerminated() {
        String id = sandbox.ready();
        String hanging = sandbox.exec(id, "[" + run("/bin/hang", "[]", AT_END) + "]");
        sandbox.awaitState(id, "[\"Ready\",\"Ready\"]");

        Http.Response destroyed = http.delete(API + id + "?timeout=30");

        assertThat(destroyed.status()).isEqualTo(204);
        assertThat(destroyed.text()).isEmpty();
        assertThat(sandbox.state(id).toString())
                .isEqualTo("{\"state\":[\"Terminated\",null],\"reason\":\"destroyed by the requestor\",\"errorMessage\":null}");
        JsonNode cut = sandbox.finished(id, hanging).get(0);
        assertThat(cut.get("result").asText()).isEqualTo("Error");
        assertThat(cut.get("message").asText()).isEqualTo("the activity was destroyed");
        assertThat(sandbox.runtime.units().get(0).state()).isEqualTo(dev.golemsandbox.exeunit.ExeUnitState.TERMINATED);
        assertThat(http.get(API + id + "/agreement").text()).isEqualTo("\"agr-1\"");
        JsonNode usage = http.get(API + id + "/usage").json().get("currentUsage");
        assertThat(usage.get(0).asDouble()).as("CPU seconds measured by the exe-unit").isEqualTo(1.25);
        assertThat(http.get(API + id + "/usage").json().get("currentUsage").get(1).asDouble())
                .as("duration stops at destroy").isEqualTo(usage.get(1).asDouble());
        assertThat(sandbox.agreements.stopped()).containsExactly(id);
        assertThat(sandbox.workRoot.resolve(id)).doesNotExist();

        Http.Response execAfter = http.post(API + id + "/exec", "{\"text\":\"[{\\\"start\\\":{}}]\"}");
        assertThat(execAfter.status()).isEqualTo(409);
        assertThat(execAfter.message()).isEqualTo("activity " + id + " is Terminated: create a new activity");
        assertThat(http.delete(API + id).status()).as("destroy twice changes nothing").isEqualTo(204);
        assertThat(sandbox.agreements.stopped()).containsExactly(id);
    }

    @Test
    void terminatingTheAgreementDestroysItsActivities() {
        String running = sandbox.ready();
        String other = sandbox.create();
        sandbox.destroyed(other);

        sandbox.agreements.terminate("agr-1");

        Await.until("the market hears both activities stopped", () -> sandbox.agreements.stopped().size() == 2);
        assertThat(sandbox.state(running).get("state").toString()).isEqualTo("[\"Terminated\",null]");
        assertThat(sandbox.state(running).get("reason").asText()).isEqualTo("the agreement was terminated");
        assertThat(sandbox.state(other).get("reason").asText()).isEqualTo("destroyed by the requestor");
        assertThat(sandbox.agreements.stopped()).containsExactly(other, running);
        assertThat(sandbox.service.activityIds("agr-1")).containsExactly(running, other);
        Http.Response gone = http.post("/activity-api/v1/activity", "{\"agreementId\":\"agr-1\"}");
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.message()).isEqualTo("agreement agr-1 is Terminated");
    }

    @Test
    void aVmThatDiesOnItsOwnLeavesTheActivityTerminatedWithAnError() {
        String id = sandbox.ready();

        sandbox.runtime.units().get(0).stop();

        assertThat(sandbox.state(id).toString()).isEqualTo("{\"state\":[\"Terminated\",null],"
                + "\"reason\":\"the VM stopped on its own\",\"errorMessage\":\"the VM stopped on its own\"}");
        JsonNode run = sandbox.run(id, "[" + run("/bin/echo", "[]", null) + "]").get(0);
        assertThat(run.get("message").asText())
                .isEqualTo("run cannot run: the activity is Terminated (the VM stopped on its own)");
    }

    @Test
    void aVmKilledForBreakingTheAgentProtocolLeavesTheActivityTerminatedWithThatReason() {
        String id = sandbox.ready();
        String hanging = sandbox.exec(id, "[" + run("/bin/hang", "[]", AT_END) + "]");
        sandbox.awaitState(id, "[\"Ready\",\"Ready\"]");
        String why = "VM vm-1 is gone: the guest agent of vm-1 broke the protocol: the hello claims 2147483616 bytes,"
                + " more than the 4096 allowed; the VM was killed";

        sandbox.runtime.units().get(0).die(why);

        JsonNode stopped = sandbox.finished(id, hanging).get(0);
        assertThat(stopped.get("result").asText()).isEqualTo("Error");
        assertThat(stopped.get("message").asText()).contains(why);
        JsonNode state = sandbox.state(id);
        assertThat(state.get("state").toString()).isEqualTo("[\"Terminated\",null]");
        assertThat(state.get("reason").asText()).isEqualTo(why);
        assertThat(state.get("errorMessage").asText()).isEqualTo(why);
    }

    @Test
    void terminateStopsTheActivitysOtherBatches() {
        String id = sandbox.ready();
        String hanging = sandbox.exec(id, "[" + run("/bin/hang", "[]", AT_END) + "]");
        sandbox.awaitState(id, "[\"Ready\",\"Ready\"]");

        String terminate = sandbox.exec(id, "[{\"terminate\":{}}]");

        assertThat(sandbox.finished(id, terminate).get(0).get("result").asText()).isEqualTo("Ok");
        JsonNode stopped = sandbox.finished(id, hanging).get(0);
        assertThat(stopped.get("result").asText()).isEqualTo("Error");
        assertThat(stopped.get("message").asText()).isEqualTo("stopped by a terminate command in batch " + terminate);
        assertThat(sandbox.state(id).get("state").toString()).isEqualTo("[\"Ready\",null]");
    }

    @Test
    void unknownIdsAndBadScriptsAreTheCallersMistake() {
        String id = sandbox.create();

        Http.Response unknownActivity = http.get(API + "nope/state");
        assertThat(unknownActivity.status()).isEqualTo(404);
        assertThat(unknownActivity.message()).isEqualTo("activity nope not found");

        Http.Response unknownBatch = http.get(API + id + "/exec/nope");
        assertThat(unknownBatch.status()).isEqualTo(404);
        assertThat(unknownBatch.message()).isEqualTo("batch nope of activity " + id + " not found");

        Http.Response noText = http.post(API + id + "/exec", "{\"script\":[]}");
        assertThat(noText.status()).isEqualTo(400);
        assertThat(noText.message()).startsWith("the body must be {\"text\":\"<ExeScript JSON array as a string>\"}");

        Http.Response unknownCommand = http.post(API + id + "/exec", "{\"text\":\"[{\\\"launch\\\":{}}]\"}");
        assertThat(unknownCommand.status()).isEqualTo(400);
        assertThat(unknownCommand.message()).isEqualTo("ExeScript command 0: unknown command \"launch\"; the commands"
                + " are deploy, start, run, transfer, terminate, sign");
    }

    @Test
    void deployFailsWhenTheDownloadedImageHasAnotherHash() {
        byte[] wrong = "not the image the demand names".getBytes(StandardCharsets.UTF_8);
        sandbox.files.put("/wrong.gvmi", wrong);
        String expected = ActivityHarness.sha3_224(ActivityHarness.IMAGE);
        String url = sandbox.files.url("/wrong.gvmi");
        sandbox.agreements.add("agr-wrong", "Approved", sandbox.runtime, ActivityHarness.taskPackage(expected, url));
        String id = sandbox.create("agr-wrong");

        JsonNode deploy = sandbox.run(id, DEPLOY_START).get(0);

        assertThat(deploy.get("result").asText()).isEqualTo("Error");
        assertThat(deploy.get("message").asText()).isEqualTo("deploy failed: image hash mismatch:"
                + " golem.srv.comp.task_package asks for sha3 " + expected + " but " + url
                + " served a file whose SHA3-224 is " + ActivityHarness.sha3_224(wrong));
        assertThat(sandbox.state(id).get("state").toString()).isEqualTo("[\"Initialized\",null]");
        assertThat(sandbox.deployCache.resolve(expected + ".gvmi")).doesNotExist();
        assertThat(sandbox.runtime.units()).isEmpty();
    }

    @Test
    void deployRefusesImagesBeyondLoopbackAndMissingTaskPackages() {
        String hash = ActivityHarness.sha3_224(ActivityHarness.IMAGE);
        sandbox.agreements.add("agr-remote", "Approved", sandbox.runtime,
                ActivityHarness.taskPackage(hash, "http://10.1.2.3/image.gvmi"));
        sandbox.agreements.add("agr-none", "Approved", sandbox.runtime, null);

        JsonNode remote = sandbox.run(sandbox.create("agr-remote"), DEPLOY_START).get(0);
        assertThat(remote.get("message").asText()).isEqualTo("deploy failed: refusing http://10.1.2.3/image.gvmi: the"
                + " sandbox is offline, so its providers only reach loopback hosts (127.0.0.1, ::1, localhost)");

        JsonNode none = sandbox.run(sandbox.create("agr-none"), DEPLOY_START).get(0);
        assertThat(none.get("message").asText())
                .isEqualTo("the agreement's demand has no golem.srv.comp.task_package, so there is no image to deploy");
    }

    @Test
    void deployRefusesVolumesTheImageDoesNotDeclareAndVpnWithoutNetApi() {
        JsonNode volume = sandbox.run(sandbox.create(), "[{\"deploy\":{\"volumes\":[\"/data\"]}}]").get(0);
        assertThat(volume.get("message").asText()).isEqualTo("deploy failed: deploy asks for volume /data, which is"
                + " not a VOLUME of the image; the sandbox mounts the image's volumes only (add VOLUME /data to the"
                + " Dockerfile)");

        JsonNode ownVolume = sandbox.run(sandbox.create(), "[{\"deploy\":{\"volumes\":[\"/golem/input\"]}}]").get(0);
        assertThat(ownVolume.get("result").asText()).isEqualTo("Ok");

        JsonNode vpn = sandbox.run(sandbox.create(), "[{\"deploy\":{\"net\":[{\"id\":\"n\",\"ip\":\"10.0.0.0\",\"nodeIp\":\"10.0.0.2\"}]}}]")
                .get(0);
        assertThat(vpn.get("message").asText()).isEqualTo("deploy failed: this sandbox has no VPN: deploy without \"net\"");
    }

    @Test
    void transfersReachLoopbackHttpAndVolumes() {
        String id = sandbox.ready();
        sandbox.files.put("/in.txt", "from http".getBytes(StandardCharsets.UTF_8));

        JsonNode results = sandbox.run(id, "[{\"transfer\":{\"from\":\"" + sandbox.files.url("/in.txt")
                + "\",\"to\":\"container:/golem/input/in.txt\"}},"
                + run("/bin/cat", "[\"/golem/input/in.txt\"]", AT_END) + ","
                + run("/bin/write", "[\"/golem/output/out.txt\",\"to http\"]", null) + ","
                + "{\"transfer\":{\"from\":\"/golem/output/out.txt\",\"to\":\"" + sandbox.files.url("/out.txt") + "\"}},"
                + "{\"transfer\":{\"from\":\"/golem/output/out.txt\",\"to\":\"container:/golem/input/\"}},"
                + run("/bin/cat", "[\"/golem/input/out.txt\"]", AT_END) + "]");

        assertThat(results.size()).as(results.toString()).isEqualTo(6);
        assertThat(results.get(1).get("stdout").asText()).isEqualTo("from http");
        assertThat(new String(sandbox.files.get("/out.txt"), StandardCharsets.UTF_8)).isEqualTo("to http");
        assertThat(results.get(5).get("stdout").asText()).isEqualTo("to http");
    }

    @Test
    void whatTransfersWriteIsOpenToTheImagesUser() throws Exception {
        String id = sandbox.ready();
        sandbox.files.put("/data", "x".getBytes(StandardCharsets.UTF_8));

        JsonNode result = sandbox.run(id, "[{\"transfer\":{\"from\":\"" + sandbox.files.url("/data")
                + "\",\"to\":\"/golem/input/new/dir/data\"}}]").get(0);

        assertThat(result.get("result").asText()).isEqualTo("Ok");
        dev.golemsandbox.exeunit.ExeUnit unit = sandbox.runtime.units().get(0);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(unit.hostPathOf("/golem/input/new/dir/data"))))
                .isEqualTo("rw-rw-rw-");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(unit.hostPathOf("/golem/input/new"))))
                .isEqualTo("rwxrwxrwx");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(unit.hostPathOf("/golem/input/new/dir"))))
                .isEqualTo("rwxrwxrwx");
    }

    @Test
    void transfersExplainWhatIsWrong() {
        String id = sandbox.ready();

        JsonNode outside = sandbox.run(id, "[{\"transfer\":{\"from\":\"/etc/passwd\",\"to\":\"/golem/input/x\"}}]").get(0);
        assertThat(outside.get("message").asText()).isEqualTo("transfer failed: path not found in container: /etc/passwd");

        JsonNode missing = sandbox.run(id, "[{\"transfer\":{\"from\":\"/golem/input/none\",\"to\":\"/golem/output/x\"}}]")
                .get(0);
        assertThat(missing.get("message").asText()).isEqualTo("transfer failed: no such file in the container:"
                + " /golem/input/none");

        JsonNode notFound = sandbox.run(id, "[{\"transfer\":{\"from\":\"" + sandbox.files.url("/absent")
                + "\",\"to\":\"/golem/input/x\"}}]").get(0);
        assertThat(notFound.get("message").asText()).isEqualTo("transfer failed: GET " + sandbox.files.url("/absent")
                + " answered HTTP 404");

        JsonNode offline = sandbox.run(id, "[{\"transfer\":{\"from\":\"https://10.9.8.7/data\",\"to\":\"/golem/input/x\"}}]")
                .get(0);
        assertThat(offline.get("message").asText()).isEqualTo("transfer failed: refusing https://10.9.8.7/data: the"
                + " sandbox is offline, so its providers only reach loopback hosts (127.0.0.1, ::1, localhost)");

        JsonNode directory = sandbox.run(id, "[{\"transfer\":{\"from\":\"/golem/output\",\"to\":\""
                + sandbox.files.url("/dir") + "\"}}]").get(0);
        assertThat(directory.get("message").asText()).isEqualTo("transfer failed: /golem/output is a directory; give a"
                + " \"format\" (e.g. \"tar.gz\") to pack it");
    }

    @Test
    void transferPacksADirectoryAndUnpacksAnArchive() {
        String id = sandbox.ready();

        JsonNode results = sandbox.run(id, "["
                + run("/bin/write", "[\"/golem/output/a.txt\",\"alpha\"]", null) + ","
                + run("/bin/write", "[\"/golem/output/b.log\",\"beta\"]", null) + ","
                + "{\"transfer\":{\"from\":\"/golem/output\",\"to\":\"" + sandbox.files.url("/out.tar.gz")
                + "\",\"format\":\"tar.gz\",\"fileset\":[\"*.txt\"]}},"
                + "{\"transfer\":{\"from\":\"" + sandbox.files.url("/out.tar.gz") + "\",\"to\":\"/golem/input/unpacked\","
                + "\"format\":\"tar.gz\"}},"
                + run("/bin/cat", "[\"/golem/input/unpacked/a.txt\"]", AT_END) + ","
                + "{\"transfer\":{\"from\":\"/golem/input/unpacked/b.log\",\"to\":\"/golem/input/b\"}}]");

        assertThat(results.get(4).get("stdout").asText()).isEqualTo("alpha");
        assertThat(results.get(5).get("message").asText()).as("the fileset left b.log out")
                .isEqualTo("transfer failed: no such file in the container: /golem/input/unpacked/b.log");
    }

    @Test
    void batchOutputSurvivesBetweenBatchesInTheSameVm() throws Exception {
        String id = sandbox.ready();
        sandbox.run(id, "[" + run("/bin/write", "[\"/golem/output/state\",\"kept\"]", null) + "]");

        JsonNode later = sandbox.run(id, "[" + run("/bin/cat", "[\"/golem/output/state\"]", AT_END) + "]");

        assertThat(later.get(0).get("stdout").asText()).isEqualTo("kept");
        Path volume = sandbox.runtime.units().get(0).hostPathOf("/golem/output/state");
        assertThat(Files.readString(volume)).isEqualTo("kept");
    }
}
