package dev.golemsandbox.market;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.sandbox.SandboxServer;
import dev.golemsandbox.sandbox.ScriptedGolemJsRequestor;
import dev.golemsandbox.sandbox.TestSandbox;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long-poll its client abandoned (golem-js aborts polls; a requestor process exits) takes nothing
 * from the client's next poll: the proposal events that arrive afterwards are there for it, as with
 * yagna, and the abandoned poll's timeout passes without a word in the log.
 */
class AbandonedPollTest {

    @TempDir
    java.nio.file.Path dataDir;

    SandboxServer server;
    ScriptedGolemJsRequestor js;
    Map<String, Object> demand;
    String demandId;

    @BeforeEach
    void start() {
        server = TestSandbox.start(dataDir);
        js = new ScriptedGolemJsRequestor(TestSandbox.client(server));
        js.connect();
        demand = js.demand(js.createAllocation("1"));
        demandId = js.subscribe(demand);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anEventArrivingAfterThePollWasAbandonedGoesToTheNextPoll() throws IOException {
        JsonNode offer = allOffers().get(0).get("proposal");

        abandonPoll("/market-api/v1/demands/" + demandId + "/events?timeout=30&maxEvents=10");
        String counterId = js.counter(demandId, offer.get("proposalId").asText(), demand);

        List<JsonNode> events = js.proposalEvents(demandId, 5);
        assertThat(events).as("the provider's Draft answer to the counter-proposal, not taken by the abandoned poll")
                .extracting(e -> e.at("/proposal/prevProposalId").asText()).containsExactly(counterId);
    }

    @Test
    void theTimeoutOfAnAbandonedPollPassesQuietly() throws IOException {
        allOffers();
        PrintStream originalErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            abandonPoll("/market-api/v1/demands/" + demandId + "/events?timeout=0.2&maxEvents=10");
            assertThat(js.proposalEvents(demandId, 1)).as("a poll that outlasts the abandoned one's timeout").isEmpty();
        } finally {
            System.setErr(originalErr);
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("WARN").doesNotContain("ERROR").doesNotContain("Exception");
    }

    @Test
    void aRequestSentBehindAHeldPollIsAnsweredAfterIt() throws IOException {
        allOffers();
        URI base = URI.create(server.baseUrl());
        String headers = " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nAuthorization: Bearer " + server.appKey() + "\r\n\r\n";
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /market-api/v1/demands/" + demandId + "/events?timeout=1&maxEvents=10" + headers).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertHeld(socket);
            out.write(("GET /market-api/v1/demands" + headers).getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String answers = readUntil(socket, demandId);
            assertThat(answers).startsWith("HTTP/1.1 200");
            assertThat(answers.indexOf("[]")).as("the poll's empty answer comes first").isLessThan(answers.indexOf(demandId));
            assertThat(answers.split("HTTP/1.1 200", -1)).as("two answers").hasSize(3);
        }
    }

    @Test
    void aHeldPollWhoseDemandIsUnsubscribedStillAnswers404InYagnasShape() throws IOException {
        allOffers();
        URI base = URI.create(server.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(("GET /market-api/v1/demands/" + demandId + "/events?timeout=30&maxEvents=10 HTTP/1.1\r\n"
                    + "Host: " + base.getAuthority() + "\r\nAuthorization: Bearer " + server.appKey() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertHeld(socket);

            assertThat(js.api.delete("/market-api/v1/demands/" + demandId).status()).isEqualTo(204);

            String body = "{\"message\":\"demand " + demandId + " was unsubscribed\"}";
            assertThat(readUntil(socket, body)).startsWith("HTTP/1.1 404");
        }
    }

    /** The providers' initial proposals, read until a poll comes back empty, so that the next poll waits. */
    private List<JsonNode> allOffers() {
        List<JsonNode> offers = new ArrayList<>(js.proposalEvents(demandId, 5));
        for (List<JsonNode> more = js.proposalEvents(demandId, 0.3); !more.isEmpty(); more = js.proposalEvents(demandId, 0.3)) {
            offers.addAll(more);
        }
        assertThat(offers).isNotEmpty();
        return offers;
    }

    /** Sends a long-poll, checks that the server holds it, and closes the connection, as an aborted fetch does. */
    private void abandonPoll(String pathAndQuery) throws IOException {
        URI base = URI.create(server.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\n"
                    + "Authorization: Bearer " + server.appKey() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertHeld(socket);
        }
    }

    /** What the server sends until {@code marker}, failing if the connection ends first. */
    private static String readUntil(Socket socket, String marker) throws IOException {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[8192];
        String received = "";
        while (!received.contains(marker)) {
            int length = in.read(chunk);
            assertThat(length).as("the connection stays open until " + marker + "; so far: " + received).isPositive();
            received += new String(chunk, 0, length, StandardCharsets.UTF_8);
        }
        return received;
    }

    private static void assertHeld(Socket socket) throws IOException {
        socket.setSoTimeout(100);
        try {
            byte[] answer = new byte[512];
            int length = socket.getInputStream().read(answer);
            throw new AssertionError("the poll was answered at once, not held: " + new String(answer, 0, Math.max(length, 0), StandardCharsets.US_ASCII));
        } catch (SocketTimeoutException held) {
            // Nothing to say yet: the server holds the poll, as it should.
        }
    }
}
