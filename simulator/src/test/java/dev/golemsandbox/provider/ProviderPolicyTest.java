package dev.golemsandbox.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.market.CounterAnswer;
import dev.golemsandbox.market.ProviderPolicy;
import dev.golemsandbox.market.RequestorProposal;
import dev.golemsandbox.market.Slots;
import dev.golemsandbox.sandbox.ScriptedGolemJsRequestor;
import dev.golemsandbox.sandbox.SandboxConfig;
import dev.golemsandbox.sandbox.SandboxServer;
import dev.golemsandbox.sandbox.TestSandbox;
import dev.golemsandbox.sandbox.VmlessRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One provider can be given a behaviour of its own; the market asks each provider's policy, so the others are untouched. */
class ProviderPolicyTest {

    @Test
    void aProviderWithItsOwnPolicyAnswersByItWhileTheOthersBehaveAsUsual(@TempDir Path dataDir) {
        ProviderPolicy stubborn = new StandardPolicy() {
            @Override
            public CounterAnswer answer(RequestorProposal counter, Slots slots) {
                return CounterAnswer.reject("provider " + counter.provider().name() + " negotiates with no one");
            }
        };
        SandboxConfig config = SandboxConfig.defaults(new SandboxHome(dataDir)).withPort(0)
                .withProviders(List.of(ProviderSpec.named("stubborn"), ProviderSpec.named("willing")));
        try (SandboxServer server = SandboxServer.builder(config)
                .runtimes(spec -> new VmlessRuntime())
                .policies(spec -> spec.name().equals("stubborn") ? stubborn : new StandardPolicy())
                .start()) {
            negotiateWithBoth(new ScriptedGolemJsRequestor(TestSandbox.client(server)));
        }
    }

    /** Counters the Initial proposals of both providers: the stubborn one rejects, the other answers with a Draft. */
    private static void negotiateWithBoth(ScriptedGolemJsRequestor js) {
        js.connect();
        Map<String, Object> demand = js.demand(js.createAllocation("1"));
        String demandId = js.subscribe(demand);

        List<JsonNode> initials = js.proposalEvents(demandId, 5);
        assertThat(initials).extracting(e -> e.at("/proposal/properties/golem.node.id.name").asText())
                .as("both propose: the stubborn one only differs in its answer to a counter")
                .containsExactly("stubborn", "willing");
        String toStubborn = js.counter(demandId, initials.get(0).at("/proposal/proposalId").asText(), demand);
        String toWilling = js.counter(demandId, initials.get(1).at("/proposal/proposalId").asText(), demand);

        // The Draft comes at once; the rejection a moment later, as a provider's answer over the network.
        List<JsonNode> answers = new java.util.ArrayList<>(js.proposalEvents(demandId, 5));
        answers.addAll(js.proposalEvents(demandId, 5));
        assertThat(answers).hasSize(2);
        assertThat(answers.get(0).get("eventType").asText()).isEqualTo("ProposalEvent");
        assertThat(answers.get(0).at("/proposal/state").asText()).isEqualTo("Draft");
        assertThat(answers.get(0).at("/proposal/prevProposalId").asText()).isEqualTo(toWilling);
        assertThat(answers.get(1).get("eventType").asText()).isEqualTo("ProposalRejectedEvent");
        assertThat(answers.get(1).get("proposalId").asText()).isEqualTo(toStubborn);
        assertThat(answers.get(1).at("/reason/message").asText()).isEqualTo("provider stubborn negotiates with no one");
    }
}
