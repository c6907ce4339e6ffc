package dev.golemsandbox.market;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.provider.Pricing;
import dev.golemsandbox.provider.ProviderSpec;
import dev.golemsandbox.sandbox.SandboxClient;
import dev.golemsandbox.sandbox.SandboxServer;
import dev.golemsandbox.sandbox.TestSandbox;
import dev.golemsandbox.testing.Await;
import dev.golemsandbox.testing.EventStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /market-api/v1/scan}: the offers whose properties satisfy the scan's constraints, as an
 * event stream of {@code offer} events (what golem-js's {@code glm.market.scan} reads) or as the
 * spec's JSON long-poll, each offer once, until the scan is ended.
 */
class MarketScanTest {

    static final String SCAN = "/market-api/v1/scan";

    @TempDir
    java.nio.file.Path dataDir;

    SandboxServer server;
    SandboxClient api;

    @BeforeEach
    void start() {
        ProviderSpec small = ProviderSpec.named("small");
        ProviderSpec big = ProviderSpec.named("big");
        big = new ProviderSpec(big.name(), big.nodeId(), 4, 8, 16, 64, 2,
                Pricing.perHour(new BigDecimal("0.36"), new BigDecimal("0.072"), new BigDecimal("0.01")), "public",
                List.of("erc20-holesky-tglm"), big.paymentAddress(), Map.of());
        List<ProviderSpec> providers = List.of(small, big);
        server = TestSandbox.start(dataDir, c -> c.withProviders(providers));
        api = TestSandbox.client(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The body golem-js 3.6 sends: constraints joined by newline and tab, empty properties, no timeout. */
    private String beginScan(String... constraints) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "offer");
        body.put("constraints", constraints.length == 1 ? constraints[0] : "(&" + String.join("\n\t", constraints) + ")");
        body.put("properties", Map.of());
        SandboxClient.Response r = api.post(SCAN, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().isTextual()).as("the scan id is a JSON string").isTrue();
        return r.json().asText();
    }

    @Test
    void theEventStreamSendsEachMatchingOfferAsAnOfferEventAndStaysOpenUntilTheScanEnds() throws Exception {
        String id = beginScan("(golem.runtime.name=vm)", "(golem.inf.cpu.threads>=4)", "(golem.inf.mem.gib>=8)",
                "(golem.com.payment.platform.erc20-holesky-tglm.address=*)");
        URI events = URI.create(server.baseUrl() + SCAN + "/" + id + "/events");
        try (EventStreamReader stream = new EventStreamReader(HttpClient.newHttpClient(), events, server.appKey())) {
            assertThat(stream.contentType()).startsWith("text/event-stream");
            EventStreamReader.Item item = stream.nextEvent();
            assertThat(item.event()).isEqualTo("offer");
            JsonNode offer = item.data();
            String bigId = server.config().providers().get(1).nodeId();
            assertThat(offer.get("providerId").asText()).isEqualTo(bigId);
            assertThat(offer.get("offerId").asText()).isNotBlank();
            assertThat(Instant.parse(offer.get("timestamp").asText())).isBefore(Instant.now());
            assertThat(offer.get("constraints").asText()).contains("golem.srv.comp.expiration");
            JsonNode p = offer.get("properties");
            assertThat(p.get("golem.node.id.name").asText()).isEqualTo("big");
            assertThat(p.get("golem.inf.cpu.threads").asInt()).isEqualTo(8);
            assertThat(p.get("golem.inf.cpu.cores").asInt()).isEqualTo(4);
            assertThat(p.get("golem.inf.mem.gib").asDouble()).isEqualTo(16.0);
            assertThat(p.get("golem.inf.storage.gib").asDouble()).isEqualTo(64.0);
            assertThat(p.get("golem.runtime.name").asText()).isEqualTo("vm");
            assertThat(p.get("golem.runtime.version").asText()).isNotBlank();
            assertThat(p.get("golem.runtime.capabilities").isArray()).isTrue();
            assertThat(p.get("golem.com.usage.vector")).extracting(JsonNode::asText)
                    .containsExactly("golem.usage.cpu_sec", "golem.usage.duration_sec");
            JsonNode coeffs = p.get("golem.com.pricing.model.linear.coeffs");
            assertThat(coeffs).allMatch(JsonNode::isNumber, "a number, as ScannedOffer adds them up");
            assertThat(coeffs.get(0).decimalValue()).isEqualByComparingTo("0.0001");
            assertThat(coeffs.get(1).decimalValue()).isEqualByComparingTo("0.00002");
            assertThat(coeffs.get(2).decimalValue()).isEqualByComparingTo("0.01");
            assertThat(p.get("golem.com.payment.platform.erc20-holesky-tglm.address").asText()).isEqualTo(bigId);

            assertThat(api.delete(SCAN + "/" + id).status()).isEqualTo(204);
            EventStreamReader.Item after = stream.next();
            while (after.comment() != null) {
                after = stream.next();
            }
            assertThat(after.end()).as("the stream ends when the scan does, with no second offer before").isTrue();
        }
        assertThat(api.delete(SCAN + "/" + id).status()).as("ended already").isEqualTo(404);
    }

    @Test
    void theJsonLongPollHandsOutEachOfferOnceThenWaitsAndAnswersEmpty() {
        String id = beginScan("(&)");
        SandboxClient.Response first = api.get(SCAN + "/" + id + "/events?timeout=1&maxEvents=10");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        first.json().forEach(o -> names.add(o.at("/properties/golem.node.id.name").asText()));
        assertThat(names).containsExactly("small", "big");

        SandboxClient.Response second = api.get(SCAN + "/" + id + "/events?timeout=0.5");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().size()).as("no offer is handed out twice").isZero();

        assertThat(api.delete(SCAN + "/" + id).status()).isEqualTo(204);
        SandboxClient.Response gone = api.get(SCAN + "/" + id + "/events?timeout=0.5");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.message()).contains("scan " + id);
    }

    @Test
    void constraintsAreMatchedAsForDemandsAndMaxEventsIsHonoured() {
        String none = beginScan("(golem.inf.mem.gib>=32)");
        assertThat(api.get(SCAN + "/" + none + "/events?timeout=0.2").json().size()).isZero();
        String small = beginScan("(golem.node.id.name=small)");
        assertThat(api.get(SCAN + "/" + small + "/events?timeout=0.2").json()).extracting(o -> o.at("/properties/golem.node.id.name").asText())
                .containsExactly("small");
        String both = beginScan("(|(golem.inf.cpu.threads=1)(golem.inf.cpu.threads=8))");
        assertThat(api.get(SCAN + "/" + both + "/events?timeout=0.2&maxEvents=1").json().size()).isEqualTo(1);
        assertThat(api.get(SCAN + "/" + both + "/events?timeout=0.2&maxEvents=1").json().size()).isEqualTo(1);
        assertThat(none).as("ids are yagna's small numbers").isNotEqualTo(small).matches("[0-9]+");
    }

    @Test
    void callerMistakesAreAnsweredWithAMessage() {
        SandboxClient.Response badConstraints = api.post(SCAN, Map.of("type", "offer", "constraints", "(golem.inf.mem.gib>="));
        assertThat(badConstraints.status()).isEqualTo(400);
        assertThat(badConstraints.message()).startsWith("constraints: ");
        SandboxClient.Response demandScan = api.post(SCAN, Map.of("type", "demand"));
        assertThat(demandScan.status()).isEqualTo(400);
        assertThat(demandScan.message()).contains("type must be 'offer'");
        assertThat(api.post(SCAN, Map.of("constraints", "(&)")).status()).as("no type").isEqualTo(400);
        assertThat(api.post(SCAN, Map.of("type", "offer", "timeout", "soon")).status()).isEqualTo(400);
        assertThat(api.get(SCAN + "/99/events?timeout=0").status()).isEqualTo(404);
        assertThat(api.delete(SCAN + "/99").status()).isEqualTo(404);
        assertThat(api.withAppKey(null).post(SCAN, Map.of("type", "offer")).status()).isEqualTo(401);
    }

    @Test
    void aScanNobodyReadsForItsTimeoutIsDropped() {
        String id = api.post(SCAN, Map.of("type", "offer", "timeout", 1)).json().asText();
        assertThat(api.get("/_sandbox/market/scans").json()).extracting(s -> s.get("scanId").asText()).contains(id);
        Await.until("the unread scan is dropped",
                () -> api.get("/_sandbox/market/scans").json().findValuesAsText("scanId").stream().noneMatch(id::equals));
        assertThat(api.get(SCAN + "/" + id + "/events?timeout=0").status()).isEqualTo(404);
    }

    @Test
    void peerIdAsksThatProviderNodeForItsMatchingOffersWithoutConsumingTheScan() {
        String smallId = server.config().providers().get(0).nodeId();
        String bigId = server.config().providers().get(1).nodeId();
        String id = beginScan("(golem.inf.cpu.threads>=1)");

        JsonNode fromBig = api.get(SCAN + "/" + id + "/events?peerId=" + bigId).json();
        assertThat(fromBig.findValuesAsText("providerId")).containsExactly(bigId);
        assertThat(fromBig.get(0).at("/properties/golem.node.id.name").asText()).isEqualTo("big");
        assertThat(api.get(SCAN + "/" + id + "/events?peerId=" + bigId.toUpperCase().replace("0X", "0x")).json().findValuesAsText("providerId"))
                .as("node ids compare in lower case").containsExactly(bigId);

        assertThat(api.get(SCAN + "/" + id + "/events?timeout=0&maxEvents=10").json().findValuesAsText("providerId"))
                .as("the scan still hands out every offer once").containsExactlyInAnyOrder(smallId, bigId);

        String bigOnly = beginScan("(golem.inf.cpu.threads>=4)");
        assertThat(api.get(SCAN + "/" + bigOnly + "/events?peerId=" + smallId).json().size())
                .as("a node whose offer does not match has none").isZero();
    }

    @Test
    void aMalformedOrUnknownPeerIdIsACallersMistake() {
        String id = beginScan("(golem.inf.cpu.threads>=1)");

        SandboxClient.Response malformed = api.get(SCAN + "/" + id + "/events?peerId=alder");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.message()).contains("peerId must be a node id");
        SandboxClient.Response unknown = api.get(SCAN + "/" + id + "/events?peerId=0x" + "0".repeat(40));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.message()).contains("no provider node 0x0000");
        assertThat(api.get(SCAN + "/nope/events?peerId=" + server.config().providers().get(0).nodeId()).status()).isEqualTo(404);
    }
}
