package dev.golemsandbox.market;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.provider.Pricing;
import dev.golemsandbox.provider.ProviderSpec;
import dev.golemsandbox.sandbox.ScriptedGolemJsRequestor;
import dev.golemsandbox.sandbox.SandboxServer;
import dev.golemsandbox.sandbox.TestSandbox;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A demand no provider matches gets no proposal, and /_sandbox/market says for each provider why. */
class NearMissTest {

    @TempDir
    java.nio.file.Path dataDir;

    SandboxServer server;
    ScriptedGolemJsRequestor js;

    @BeforeEach
    void start() {
        ProviderSpec small = ProviderSpec.named("small");
        ProviderSpec big = ProviderSpec.named("big");
        big = new ProviderSpec(big.name(), big.nodeId(), 4, 8, 16, 64, 2,
                Pricing.perHour(new BigDecimal("0.5"), BigDecimal.ZERO, BigDecimal.ZERO), "public", List.of("erc20-holesky-tglm"),
                big.paymentAddress(), Map.of());
        List<ProviderSpec> providers = List.of(small, big);
        server = TestSandbox.start(dataDir, c -> c.withProviders(providers));
        js = new ScriptedGolemJsRequestor(TestSandbox.client(server));
        js.connect();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void eachProviderSaysWhichClauseMissedAndTheValueItSaw() {
        Map<String, Object> demand = js.demand(js.createAllocation("1"), "(golem.inf.mem.gib>=8)");
        String demandId = js.subscribe(demand);

        List<JsonNode> proposals = js.proposalEvents(demandId, 0.5);
        assertThat(proposals).extracting(e -> e.at("/proposal/properties/golem.node.id.name").asText()).containsExactly("big");

        assertThat(js.api.withAppKey(null).get("/_sandbox/market/demands/" + demandId + "/explain").status())
                .as("the explanation names the demand's properties: it needs the key").isEqualTo(401);
        JsonNode explain = js.api.get("/_sandbox/market/demands/" + demandId + "/explain").json();
        assertThat(explain.get("matchingProviders").asInt()).isEqualTo(1);
        JsonNode smallOne = explain.at("/providers/0");
        assertThat(smallOne.get("provider").asText()).isEqualTo("small");
        assertThat(smallOne.get("matches").asBoolean()).isFalse();
        assertThat(smallOne.at("/demandConstraints/clause").asText()).isEqualTo("(golem.inf.mem.gib>=8)");
        assertThat(smallOne.at("/demandConstraints/property").asText()).isEqualTo("golem.inf.mem.gib");
        assertThat(smallOne.at("/demandConstraints/seen").asDouble()).isEqualTo(1.0);
        assertThat(smallOne.get("summary").asText())
                .isEqualTo("no: the demand's constraint (golem.inf.mem.gib>=8) does not hold for its offer: golem.inf.mem.gib is 1.0, not >= 8");
        assertThat(smallOne.at("/offerConstraints/holds").asBoolean()).isTrue();
        assertThat(explain.at("/providers/1/summary").asText()).isEqualTo("matches; it proposes to the demand");
    }

    @Test
    void theOffersConstraintsAreCheckedAgainstTheDemandToo() {
        JsonNode explain = js.api.post("/_sandbox/market/explain", Map.of(
                "properties", Map.of("golem.node.debug.subnet", "devnet", "golem.srv.comp.expiration", System.currentTimeMillis() + 60_000),
                "constraints", "(golem.runtime.name=vm)")).json();

        assertThat(explain.get("matchingProviders").asInt()).isZero();
        JsonNode first = explain.at("/providers/0");
        assertThat(first.at("/demandConstraints/holds").asBoolean()).isTrue();
        assertThat(first.at("/offerConstraints/clause").asText()).isEqualTo("(golem.node.debug.subnet=public)");
        assertThat(first.at("/offerConstraints/seen").asText()).isEqualTo("devnet");
        assertThat(first.get("summary").asText()).isEqualTo("no: its offer's constraint (golem.node.debug.subnet=public) does not hold "
                + "for the demand: golem.node.debug.subnet is \"devnet\", not = public");
    }

    @Test
    void aPropertyTheOfferLacksIsShownAsAbsent() {
        JsonNode explain = js.api.post("/_sandbox/market/explain", Map.of(
                "properties", Map.of("golem.node.debug.subnet", "public", "golem.srv.comp.expiration", System.currentTimeMillis() + 60_000),
                "constraints", "(&(golem.runtime.name=vm)(golem.com.payment.platform.erc20-polygon-glm.address=*))")).json();

        JsonNode big = explain.at("/providers/1");
        assertThat(big.at("/demandConstraints/truth").asText()).isEqualTo("FALSE");
        assertThat(big.at("/demandConstraints/reason").asText()).isEqualTo("golem.com.payment.platform.erc20-polygon-glm.address is absent");
        assertThat(big.at("/demandConstraints/seen").isMissingNode()).isTrue();
    }

    @Test
    void malformedConstraintsInAnExplainRequestAre400() {
        var r = js.api.post("/_sandbox/market/explain", Map.of("properties", Map.of(), "constraints", "(a=1"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message()).startsWith("constraints: unexpected end of input");
    }
}
