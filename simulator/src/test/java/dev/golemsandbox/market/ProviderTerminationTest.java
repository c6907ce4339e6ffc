package dev.golemsandbox.market;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.provider.ProviderSpec;
import dev.golemsandbox.sandbox.GolemJsRequestor;
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
 */
class ProviderTerminationTest {

    @TempDir
    java.nio.file.Path dataDir;

    SandboxServer server;

    @BeforeEach
    void start() {
        server = TestSandbox.start(dataDir, c -> c.withSessionTimeout(Duration.ofSeconds(1))
                .withProviders(List.of(ProviderSpec.named("only-one"))));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theProviderEndsTheAgreementsOfASessionThatStoppedPolling() {
        GolemJsRequestor crashed = new GolemJsRequestor(TestSandbox.client(server));
        crashed.connect();
        Map<String, Object> demand = crashed.demand(crashed.createAllocation("1"));
        String agreementId = crashed.agree(crashed.negotiate(crashed.subscribe(demand), demand).get("proposalId").asText());
        String start = Instant.now().minusSeconds(1).toString();
        crashed.events("/payment-api/v1/invoiceEvents", start, 0);

        GolemJsRequestor observer = new GolemJsRequestor(TestSandbox.client(server));
        JsonNode event = nextEventWith(observer, "terminator", start);
        assertThat(event.get("agreementId").asText()).isEqualTo(agreementId);
        assertThat(event.get("terminator").asText()).isEqualTo("Provider");
        assertThat(event.at("/reason/message").asText())
                .isEqualTo("the requestor (app session " + crashed.appSessionId + ") stopped polling for events for 1 s");
        assertThat(observer.api.get("/payment-api/v1/invoiceEvents?timeout=5&afterTimestamp=" + start).json().size()).isEqualTo(1);

        GolemJsRequestor next = new GolemJsRequestor(TestSandbox.client(server));
        next.connect();
        Map<String, Object> nextDemand = next.demand(next.createAllocation("1"));
        assertThat(next.proposalEvents(next.subscribe(nextDemand), 5)).as("the provider is free again").hasSize(1);
    }

    /** Polls every session's agreement events (without taking part in any session) until one has {@code field}. */
    static JsonNode nextEventWith(GolemJsRequestor observer, String field, String after) {
        String cursor = after;
        for (int polls = 0; polls < 10; polls++) {
            JsonNode events = observer.api.get("/market-api/v1/agreementEvents?timeout=5&afterTimestamp=" + cursor).json();
            for (JsonNode event : events) {
                if (event.has(field)) {
                    return event;
                }
                cursor = event.get("eventDate").asText();
            }
        }
        throw new AssertionError("no agreement event with " + field + " after " + after);
    }

    @Test
    void theProviderEndsAnAgreementWhoseDemandExpired() {
        GolemJsRequestor js = new GolemJsRequestor(TestSandbox.client(server));
        js.connect();
        Map<String, Object> demand = js.demand(js.createAllocation("1"));
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) demand.get("properties");
        long expiration = System.currentTimeMillis() + 1500;
        properties.put("golem.srv.comp.expiration", expiration);
        String start = Instant.now().minusSeconds(1).toString();
        String agreementId = js.agree(js.negotiate(js.subscribe(demand), demand).get("proposalId").asText());

        JsonNode event = nextEventWith(js, "terminator", start);

        assertThat(event.get("agreementId").asText()).isEqualTo(agreementId);
        assertThat(event.get("terminator").asText()).isEqualTo("Provider");
        assertThat(event.at("/reason/message").asText()).isEqualTo("the agreement expired (golem.srv.comp.expiration "
                + dev.golemsandbox.http.IsoTime.format(Instant.ofEpochMilli(expiration)) + " passed)");
    }

    @Test
    void aSessionThatKeepsPollingKeepsItsAgreement() {
        GolemJsRequestor alive = new GolemJsRequestor(TestSandbox.client(server));
        alive.connect();
        Map<String, Object> demand = alive.demand(alive.createAllocation("1"));
        String agreementId = alive.agree(alive.negotiate(alive.subscribe(demand), demand).get("proposalId").asText());

        String cursor = Instant.now().toString();
        for (int i = 0; i < 4; i++) {
            assertThat(alive.events("/market-api/v1/agreementEvents", cursor, 0.8)).isEmpty();
        }
        assertThat(alive.api.get("/market-api/v1/agreements/" + agreementId).json().get("state").asText()).isEqualTo("Approved");
    }
}
