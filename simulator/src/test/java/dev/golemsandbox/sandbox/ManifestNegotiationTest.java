package dev.golemsandbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.activity.ActivityAgreement;
import dev.golemsandbox.activity.OutboundGrant;
import dev.golemsandbox.manifest.OutboundRules;
import dev.golemsandbox.provider.OutboundPresets;
import dev.golemsandbox.provider.ProviderSpec;
import dev.golemsandbox.provider.RuntimeCapabilities;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A demand carrying a computation manifest, negotiated over HTTP as golem-js does: each provider's
 * outbound rules accept it (a Draft, then an agreement whose activities get the grant) or reject
 * the counter-proposal with ya-provider's reason, which the near miss shows too.
 */
class ManifestNegotiationTest {

    static final String ALL_THREE_FAIL = "Outbound rejected because: Everyone rule didn't match whitelist ; "
            + "Audited-Payload rule requires manifest signature ; Partner rule requires node descriptor ; ";
    static final String IMAGE_HASH = "sha3:" + "0a1b".repeat(14);

    @TempDir
    java.nio.file.Path dataDir;

    SandboxServer server;
    ScriptedGolemJsRequestor js;
    String allocationId;

    @BeforeEach
    void start() {
        List<ProviderSpec> providers = List.of(
                provider("open", OutboundPresets.OPEN), provider("listed", OutboundPresets.WHITELISTED),
                provider("closed", OutboundPresets.DISABLED));
        server = TestSandbox.start(dataDir, c -> c.withProviders(providers));
        js = new ScriptedGolemJsRequestor(TestSandbox.client(server));
        js.connect();
        allocationId = js.createAllocation("1");
    }

    /** A provider of the VM runtime, which advertises inet and manifest-support, with these rules. */
    static ProviderSpec provider(String name, OutboundRules rules) {
        ProviderSpec d = ProviderSpec.named(name);
        return new ProviderSpec(name, d.nodeId(), d.cores(), d.threads(), d.memGib(), d.storageGib(), d.capacity(), d.pricing(),
                d.subnet(), d.paymentPlatforms(), d.paymentAddress(), d.extraProperties(), RuntimeCapabilities.SUPPORTED,
                d.timeouts(), List.of(), rules);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static String manifest(String out) {
        String json = """
                {"version": "0.1.0", "createdAt": "%s", "expiresAt": "%s",
                 "payload": [{"urls": ["http://127.0.0.1:7465/v1/image/download?hash=0a1b"], "hash": "%s"}],
                 "compManifest": {"version": "0.1.0", "net": {"inet": {"out": %s}}}}
                """.formatted(Instant.now().minusSeconds(5), Instant.now().plusSeconds(3600), IMAGE_HASH, out);
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    Map<String, Object> demandWith(String payload) {
        Map<String, Object> demand = js.demand(allocationId, "(golem.runtime.capabilities=inet)");
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) demand.get("properties");
        properties.remove("golem.srv.comp.task_package");   // golem-js sends the manifest instead of a package
        properties.put("golem.srv.comp.payload", payload);
        return demand;
    }

    /** Counters every Initial proposal; the answers by provider name: a Draft's id, or "rejected: <reason>". */
    Map<String, String> counterEveryone(String demandId, Map<String, Object> demand) {
        Map<String, String> providerOfCounter = new LinkedHashMap<>();
        for (JsonNode event : js.proposalEvents(demandId, 5)) {
            JsonNode offer = event.get("proposal");
            providerOfCounter.put(js.counter(demandId, offer.get("proposalId").asText(), demand),
                    offer.at("/properties/golem.node.id.name").asText());
        }
        Map<String, String> answers = new LinkedHashMap<>();
        List<JsonNode> events = new ArrayList<>();
        // Drafts come at once, rejections a moment later, as over a network.
        for (int polls = 0; polls < 10 && events.size() < providerOfCounter.size(); polls++) {
            events.addAll(js.proposalEvents(demandId, 5));
        }
        for (JsonNode event : events) {
            if (event.get("eventType").asText().equals("ProposalRejectedEvent")) {
                answers.put(providerOfCounter.get(event.get("proposalId").asText()), "rejected: " + event.at("/reason/message").asText());
            } else {
                JsonNode draft = event.get("proposal");
                answers.put(providerOfCounter.get(draft.get("prevProposalId").asText()), draft.get("proposalId").asText());
            }
        }
        return answers;
    }

    ActivityAgreement activityView(String agreementId) {
        return new MarketAgreementSource(server.market()).approved(agreementId);
    }

    @Test
    void aWhitelistedHostIsGrantedByOpenAndWhitelistProvidersAndRefusedWhereOutboundIsOff() {
        Map<String, Object> demand = demandWith(manifest("{\"protocols\": [\"http\"], \"urls\": [\"http://127.0.0.1:8080/data\"]}"));
        String demandId = js.subscribe(demand);

        Map<String, String> answers = counterEveryone(demandId, demand);

        assertThat(answers).containsOnlyKeys("open", "listed", "closed");
        assertThat(answers.get("closed")).isEqualTo("rejected: outbound is disabled");
        String agreementId = js.agree(answers.get("listed"));
        ActivityAgreement agreement = activityView(agreementId);
        assertThat(agreement.outbound()).contains(new OutboundGrant(false, List.of(URI.create("http://127.0.0.1:8080/data"))));
        assertThat(agreement.taskPackage()).as("the exe-unit runs the manifest's payload")
                .contains("hash:" + IMAGE_HASH + ":http://127.0.0.1:7465/v1/image/download?hash=0a1b");
    }

    @Test
    void unrestrictedAccessPassesOnlyAnEveryoneAllRule() {
        Map<String, Object> demand = demandWith(manifest("{\"unrestricted\": {\"urls\": true}}"));
        String demandId = js.subscribe(demand);

        Map<String, String> answers = counterEveryone(demandId, demand);

        assertThat(answers.get("listed")).isEqualTo("rejected: " + ALL_THREE_FAIL);
        assertThat(answers.get("closed")).isEqualTo("rejected: outbound is disabled");
        assertThat(activityView(js.agree(answers.get("open"))).outbound()).contains(new OutboundGrant(true, List.of()));

        JsonNode explain = js.api.get("/_sandbox/market/demands/" + demandId + "/explain").json();
        assertThat(explain.get("matchingProviders").asInt()).as("open is busy now, but its rules accept the manifest").isEqualTo(1);
        JsonNode listed = explain.at("/providers/1");
        assertThat(listed.get("provider").asText()).isEqualTo("listed");
        assertThat(listed.get("matches").asBoolean()).isFalse();
        assertThat(listed.get("refusal").asText()).isEqualTo(ALL_THREE_FAIL);
        assertThat(listed.get("summary").asText()).isEqualTo("no: it proposes, then rejects the counter-proposal: " + ALL_THREE_FAIL);
        assertThat(explain.at("/providers/0").has("refusal")).isFalse();
    }

    @Test
    void aDemandWithoutAManifestGetsNoOutboundAccessFromAnyProvider() {
        Map<String, Object> demand = js.demand(allocationId);
        String demandId = js.subscribe(demand);

        Map<String, String> answers = counterEveryone(demandId, demand);

        assertThat(answers.values()).noneMatch(a -> a.startsWith("rejected"));
        ActivityAgreement agreement = activityView(js.agree(answers.get("open")));
        assertThat(agreement.outbound()).isEmpty();
        assertThat(agreement.taskPackage()).contains(ScriptedGolemJsRequestor.TASK_PACKAGE);
    }

    @Test
    void aDemandWithABrokenManifestIsRefusedWithTheReasonAndNothingIsSubscribed() {
        for (String broken : List.of(manifest("{\"urls\": [\"not a url\"]}"), "@@@ not base64", manifest("{\"urls\": \"one\"}"))) {
            SandboxClient.Response refused = js.api.post("/market-api/v1/demands", demandWith(broken));
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.json().get("message").asText()).as(refused.toString()).startsWith("invalid manifest: ");
        }
        SandboxClient.Response refused = js.api.post("/market-api/v1/demands", demandWith(manifest("{\"urls\": [\"not a url\"]}")));
        assertThat(refused.json().get("message").asText())
                .isEqualTo("invalid manifest: 'compManifest.net.inet.out.urls' has \"not a url\", which is not a URL: Illegal character in path");
        assertThat(js.api.get("/_sandbox/market/demands").json()).as("nothing was subscribed").isEmpty();
    }

    @Test
    void theManifestCheckSaysAtOnceWhoAcceptsAManifestAndWhatIsWrongWithABrokenOne() {
        SandboxClient.Response ok = js.api.post("/_sandbox/manifest/check", Map.of("manifest", manifest("{\"urls\": [\"https://github.com/\"]}")));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().get("acceptingProviders").asInt()).isEqualTo(2);
        assertThat(ok.json().at("/outbound/urls/0").asText()).isEqualTo("https://github.com/");
        assertThat(ok.json().get("taskPackage").asText()).startsWith("hash:" + IMAGE_HASH + ":");
        assertThat(ok.json().at("/providers/2/reason").asText()).isEqualTo("outbound is disabled");

        for (Object bad : List.of("@@@", manifest("{\"urls\": [\"/relative\"]}"), 42, Map.of("version", "1"))) {
            SandboxClient.Response refused = js.api.post("/_sandbox/manifest/check", Map.of("manifest", bad));
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.json().get("message").asText()).as(refused.toString()).matches("(invalid manifest: |'manifest' must be).+");
        }
        assertThat(js.api.withAppKey(null).post("/_sandbox/manifest/check", Map.of("manifest", "x")).status()).isEqualTo(401);
        assertThat(js.api.get("/_sandbox/market/demands").json()).as("checking subscribes nothing").isEmpty();
    }
}
