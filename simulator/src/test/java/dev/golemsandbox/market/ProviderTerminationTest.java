package dev.golemsandbox.market;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.provider.ProviderSpec;
import dev.golemsandbox.sandbox.ScriptedGolemJsRequestor;
import dev.golemsandbox.sandbox.SandboxServer;
import dev.golemsandbox.sandbox.TestSandbox;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Providers end approved agreements themselves when the requestor cannot: a requestor that died
 * without terminating (Ctrl-C) and stopped polling events, or a demand whose
 * {@code golem.srv.comp.expiration} has passed. Otherwise the provider would stay busy forever.
 *
 * <p>The times are far apart so a loaded machine cannot blur them: the market looks every second,
 * a silent session is gone after {@link #SESSION_TIMEOUT}, a live one polls for longer than that
 * in one go, and every wait for the provider's move has a generous deadline.
 */
class ProviderTerminationTest {

    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);
    static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    java.nio.file.Path dataDir;

    SandboxServer server;

    @BeforeEach
    void start() {
        server = TestSandbox.start(dataDir, c -> c.withSessionTimeout(SESSION_TIMEOUT)
                .withProviders(List.of(ProviderSpec.named("only-one"))));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theProviderEndsTheAgreementsOfASessionThatStoppedPolling() {
        ScriptedGolemJsRequestor crashed = new ScriptedGolemJsRequestor(TestSandbox.client(server));
        crashed.connect();
        Map<String, Object> demand = crashed.demand(crashed.createAllocation("1"));
        String agreementId = crashed.agree(crashed.negotiate(crashed.subscribe(demand), demand).get("proposalId").asText());
        String start = Instant.now().minusSeconds(1).toString();
        crashed.events("/payment-api/v1/invoiceEvents", start, 0);

        ScriptedGolemJsRequestor observer = new ScriptedGolemJsRequestor(TestSandbox.client(server));
        JsonNode event = nextEventWith(observer, "terminator", start);
        assertThat(event.get("agreementId").asText()).isEqualTo(agreementId);
        assertThat(event.get("terminator").asText()).isEqualTo("Provider");
        assertThat(event.at("/reason/message").asText()).isEqualTo("Requestor is unreachable more than 3s");
        assertThat(event.at("/reason/golem.provider.code").asText()).isEqualTo("RequestorUnreachable");
        assertThat(observer.api.get("/payment-api/v1/invoiceEvents?timeout=5&afterTimestamp=" + start).json().size()).isEqualTo(1);

        ScriptedGolemJsRequestor next = new ScriptedGolemJsRequestor(TestSandbox.client(server));
        next.connect();
        Map<String, Object> nextDemand = next.demand(next.createAllocation("1"));
        assertThat(next.proposalEvents(next.subscribe(nextDemand), 5)).as("the provider is free again").hasSize(1);
    }

    /** Polls every session's agreement events (without taking part in any session) until one has {@code field}. */
    static JsonNode nextEventWith(ScriptedGolemJsRequestor observer, String field, String after) {
        Instant deadline = Instant.now().plus(DEADLINE);
        String cursor = after;
        while (Instant.now().isBefore(deadline)) {
            JsonNode events = observer.api.get("/market-api/v1/agreementEvents?timeout=5&afterTimestamp=" + cursor).json();
            for (JsonNode event : events) {
                if (event.has(field)) {
                    return event;
                }
                cursor = event.get("eventDate").asText();
            }
        }
        throw new AssertionError("no agreement event with " + field + " after " + after + " within " + DEADLINE.toSeconds() + " s");
    }

    @Test
    void theProviderEndsAnAgreementWhoseDemandExpired() {
        ScriptedGolemJsRequestor js = new ScriptedGolemJsRequestor(TestSandbox.client(server));
        js.connect();
        Map<String, Object> demand = js.demand(js.createAllocation("1"));
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) demand.get("properties");
        long expiration = System.currentTimeMillis() + 2000;
        properties.put("golem.srv.comp.expiration", expiration);
        String start = Instant.now().minusSeconds(1).toString();
        String agreementId = js.agree(js.negotiate(js.subscribe(demand), demand).get("proposalId").asText());

        JsonNode event = nextEventWith(js, "terminator", start);

        assertThat(event.get("agreementId").asText()).isEqualTo(agreementId);
        assertThat(event.get("terminator").asText()).isEqualTo("Provider");
        assertThat(Instant.parse(event.get("eventDate").asText())).as("not before the expiration")
                .isAfter(Instant.ofEpochMilli(expiration));
        assertThat(event.at("/reason/message").asText()).isEqualTo("Agreement expired @ "
                + BreakReason.chrono(Instant.ofEpochMilli(expiration)));
        assertThat(event.at("/reason/message").asText()).matches("Agreement expired @ \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{3})? UTC");
        assertThat(event.at("/reason/golem.provider.code").asText()).isEqualTo("Expired");
    }

    @Test
    void aSessionThatKeepsPollingKeepsItsAgreement() {
        ScriptedGolemJsRequestor alive = new ScriptedGolemJsRequestor(TestSandbox.client(server));
        alive.connect();
        Map<String, Object> demand = alive.demand(alive.createAllocation("1"));
        String agreementId = alive.agree(alive.negotiate(alive.subscribe(demand), demand).get("proposalId").asText());

        // Each poll stays open longer than the session timeout: an open poll is what keeps a session alive.
        String cursor = Instant.now().toString();
        double pollSeconds = SESSION_TIMEOUT.toSeconds() + 1;
        for (int i = 0; i < 2; i++) {
            assertThat(alive.events("/market-api/v1/agreementEvents", cursor, pollSeconds)).isEmpty();
        }
        assertThat(alive.api.get("/market-api/v1/agreements/" + agreementId).json().get("state").asText()).isEqualTo("Approved");
    }
}
