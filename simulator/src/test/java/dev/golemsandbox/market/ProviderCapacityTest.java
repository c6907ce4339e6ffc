package dev.golemsandbox.market;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.provider.ProviderSpec;
import dev.golemsandbox.sandbox.ScriptedGolemJsRequestor;
import dev.golemsandbox.sandbox.SandboxClient;
import dev.golemsandbox.sandbox.SandboxServer;
import dev.golemsandbox.sandbox.TestSandbox;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider with one slot: it proposes only while the slot is free, turns down counters and
 * agreements it cannot serve (so golem-js moves on instead of waiting), and proposes again to
 * waiting demands once its agreement ends.
 */
class ProviderCapacityTest {

    @TempDir
    java.nio.file.Path dataDir;

    SandboxServer server;
    ScriptedGolemJsRequestor js;
    String allocationId;
    Map<String, Object> demand;

    @BeforeEach
    void start() {
        server = TestSandbox.start(dataDir, c -> c.withProviders(List.of(ProviderSpec.named("only-one"))));
        js = new ScriptedGolemJsRequestor(TestSandbox.client(server));
        js.connect();
        allocationId = js.createAllocation("1");
        demand = js.demand(allocationId);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aBusyProviderDoesNotProposeUntilItsAgreementEnds() {
        String first = js.subscribe(demand);
        String agreementId = js.agree(js.negotiate(first, demand).get("proposalId").asText());

        String waiting = js.subscribe(demand);
        assertThat(js.proposalEvents(waiting, 0.3)).isEmpty();
        JsonNode explain = js.api.get("/_sandbox/market/demands/" + waiting + "/explain").json();
        assertThat(explain.at("/providers/0/summary").asText())
                .isEqualTo("matches, but all 1 of its slots are in use; it proposes again when an agreement ends");
        assertThat(explain.at("/providers/0/inUse").asInt()).isEqualTo(1);

        js.terminate(agreementId);

        List<JsonNode> proposals = js.proposalEvents(waiting, 5);
        assertThat(proposals).hasSize(1);
        assertThat(proposals.get(0).at("/proposal/state").asText()).isEqualTo("Initial");
        assertThat(proposals.get(0).at("/proposal/properties/golem.node.id.name").asText()).isEqualTo("only-one");
    }

    @Test
    void aCounterToABusyProviderIsRejectedWithTheReason() {
        String first = js.subscribe(demand);
        String second = js.subscribe(demand);
        JsonNode secondsInitial = js.proposalEvents(second, 5).get(0).get("proposal");
        js.agree(js.negotiate(first, demand).get("proposalId").asText());

        String counterId = js.counter(second, secondsInitial.get("proposalId").asText(), demand);

        List<JsonNode> answer = js.proposalEvents(second, 5);
        assertThat(answer).hasSize(1);
        assertThat(answer.get(0).get("eventType").asText()).isEqualTo("ProposalRejectedEvent");
        assertThat(answer.get(0).get("proposalId").asText()).isEqualTo(counterId);
        assertThat(answer.get(0).at("/reason/message").asText()).isEqualTo("provider only-one has no free slot: all 1 are in use");
    }

    @Test
    void anAgreementBeyondCapacityIsRejectedAndWaitSaysWhy() {
        String first = js.subscribe(demand);
        String second = js.subscribe(demand);
        JsonNode draftA = js.negotiate(first, demand);
        JsonNode draftB = js.negotiate(second, demand);
        String startedAt = Instant.now().minusSeconds(1).toString();
        js.agree(draftA.get("proposalId").asText());

        SandboxClient api = js.api;
        String secondAgreement = api.post("/market-api/v1/agreements", Map.of("proposalId", draftB.get("proposalId").asText(),
                "validTo", Instant.now().plusSeconds(600).toString())).json().asText();
        assertThat(api.post("/market-api/v1/agreements/" + secondAgreement + "/confirm?appSessionId=" + js.appSessionId, null).status())
                .isEqualTo(204);

        SandboxClient.Response wait = api.post("/market-api/v1/agreements/" + secondAgreement + "/wait?timeout=5", null);
        assertThat(wait.status()).isEqualTo(410);
        assertThat(wait.message()).isEqualTo("agreement " + secondAgreement + " is Rejected: provider only-one has no free slot: all 1 are in use");
        assertThat(api.get("/market-api/v1/agreements/" + secondAgreement).json().get("state").asText()).isEqualTo("Rejected");
        List<JsonNode> events = js.events("/market-api/v1/agreementEvents", startedAt, 1);
        assertThat(events).extracting(e -> e.get("eventType").asText())
                .containsExactly("AgreementApprovedEvent", "AgreementRejectedEvent");
        assertThat(events.get(1).at("/reason/message").asText()).contains("no free slot");
    }

    @Test
    void aRejectedProposalCannotBeCounteredAnyMore() {
        String demandId = js.subscribe(demand);
        String initialId = js.proposalEvents(demandId, 5).get(0).at("/proposal/proposalId").asText();

        assertThat(js.api.post("/market-api/v1/demands/" + demandId + "/proposals/" + initialId + "/reject",
                Map.of("message", "too expensive")).status()).isEqualTo(204);

        SandboxClient.Response counter = js.api.post("/market-api/v1/demands/" + demandId + "/proposals/" + initialId, demand);
        assertThat(counter.status()).isEqualTo(410);
        assertThat(counter.message()).isEqualTo("proposal " + initialId + " was rejected");
        assertThat(js.api.get("/market-api/v1/demands/" + demandId + "/proposals/" + initialId).json().get("state").asText())
                .isEqualTo("Rejected");
    }
}
