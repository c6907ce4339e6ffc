package dev.golemsandbox.market;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.sandbox.ScriptedGolemJsRequestor;
import dev.golemsandbox.sandbox.SandboxClient;
import dev.golemsandbox.sandbox.SandboxServer;
import dev.golemsandbox.sandbox.TestSandbox;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agreement event feed as golem-js reads it: events strictly after the afterTimestamp it
 * echoes back, only of its app session, a held request that wakes on the next event, and polls
 * it aborts on disconnect.
 */
class AgreementEventsTest {

    static final String FEED = "/market-api/v1/agreementEvents";

    @TempDir
    java.nio.file.Path dataDir;

    SandboxServer server;
    ScriptedGolemJsRequestor js;
    Map<String, Object> demand;

    @BeforeEach
    void start() {
        server = TestSandbox.start(dataDir);
        js = new ScriptedGolemJsRequestor(TestSandbox.client(server));
        js.connect();
        demand = js.demand(js.createAllocation("1"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    String approvedAgreement() {
        String demandId = js.subscribe(demand);
        return js.agree(js.negotiate(demandId, demand).get("proposalId").asText());
    }

    @Test
    void echoingTheLastEventDateReturnsOnlyLaterEvents() {
        String start = Instant.now().minusSeconds(1).toString();
        String first = approvedAgreement();
        String second = approvedAgreement();

        List<JsonNode> all = js.events(FEED, start, 0);
        assertThat(all).extracting(e -> e.get("agreementId").asText()).containsExactly(first, second);
        String firstDate = all.get(0).get("eventDate").asText();
        assertThat(firstDate).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");

        List<JsonNode> after = js.events(FEED, firstDate, 0);
        assertThat(after).extracting(e -> e.get("agreementId").asText()).containsExactly(second);
        assertThat(js.events(FEED, all.get(1).get("eventDate").asText(), 0)).isEmpty();
    }

    @Test
    void maxEventsCutsTheAnswerAndTheRestFollows() {
        String start = Instant.now().minusSeconds(1).toString();
        String first = approvedAgreement();
        String second = approvedAgreement();

        SandboxClient.Response one = js.api.get(FEED + "?timeout=0&maxEvents=1&afterTimestamp=" + start + "&appSessionId=" + js.appSessionId);
        assertThat(one.json().size()).isEqualTo(1);
        assertThat(one.json().get(0).get("agreementId").asText()).isEqualTo(first);
        List<JsonNode> rest = js.events(FEED, one.json().get(0).get("eventDate").asText(), 0);
        assertThat(rest).extracting(e -> e.get("agreementId").asText()).containsExactly(second);
    }

    @Test
    void eventsOfAnotherAppSessionAreNotShown() {
        String start = Instant.now().minusSeconds(1).toString();
        approvedAgreement();

        ScriptedGolemJsRequestor other = new ScriptedGolemJsRequestor(js.api);
        assertThat(other.events(FEED, start, 0)).isEmpty();
        assertThat(js.api.get(FEED + "?timeout=0&afterTimestamp=" + start).json().size())
                .as("without appSessionId every event is shown").isEqualTo(1);
    }

    @Test
    void aHeldPollWakesOnTheNextEvent() {
        String start = Instant.now().toString();
        CompletableFuture<List<JsonNode>> held = CompletableFuture.supplyAsync(() -> js.events(FEED, start, 30));

        String agreementId = approvedAgreement();

        assertThat(held.join()).extracting(e -> e.get("agreementId").asText()).containsExactly(agreementId);
    }

    @Test
    void aPollWithNothingToSayAnswersAnEmptyListAfterItsFractionalTimeout() {
        long before = System.nanoTime();
        List<JsonNode> events = js.events(FEED, Instant.now().toString(), 0.3);
        double seconds = (System.nanoTime() - before) / 1e9;

        assertThat(events).isEmpty();
        assertThat(seconds).isBetween(0.25, 5.0);
    }

    @Test
    void timestampsWithOffsetsOrWithoutAZoneAreUnderstood() {
        String start = Instant.now().minusSeconds(1).toString();
        approvedAgreement();
        String date = js.events(FEED, start, 0).get(0).get("eventDate").asText();
        Instant instant = Instant.parse(date);

        assertThat(js.events(FEED, instant.minusMillis(1).atOffset(java.time.ZoneOffset.ofHours(2)).toString().replace("+", "%2B"), 0)).hasSize(1);
        assertThat(js.events(FEED, instant.minusMillis(1).toString().replace("Z", ""), 0)).hasSize(1);
    }

    @Test
    void anAbortedPollIsNeitherAnErrorNorAnObstacle() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            URI base = URI.create(server.baseUrl());
            for (int i = 0; i < 5; i++) {
                try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                    OutputStream out = socket.getOutputStream();
                    out.write(("GET " + FEED + "?timeout=0.5&appSessionId=" + js.appSessionId + " HTTP/1.1\r\nHost: x\r\n"
                            + "Authorization: Bearer " + server.appKey() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
            String start = Instant.now().minusSeconds(1).toString();
            String agreementId = approvedAgreement();
            List<JsonNode> events = js.events(FEED, start, 5);
            assertThat(events).extracting(e -> e.get("agreementId").asText()).containsExactly(agreementId);
            assertThat(js.events(FEED, events.get(0).get("eventDate").asText(), 1)).isEmpty();
        } finally {
            System.setErr(originalErr);
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("ERROR").doesNotContain("Exception");
    }
}
