package dev.golemsandbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A Java imitation of the HTTP calls golem-js 3.6 makes, one method per step, with the bodies it
 * sends, for tests that walk the sequence against a real server. Each step asserts the status
 * golem-js needs. It is not golem-js: the real library runs in the npm examples of
 * {@code requestor-examples/js}.
 */
public final class ScriptedGolemJsRequestor {

    public static final String PLATFORM = "erc20-holesky-tglm";
    public static final String TASK_PACKAGE = "hash:sha3:0a1b:http://127.0.0.1:7465/v1/image/download?hash=0a1b";

    public final SandboxClient api;
    public final String appSessionId = UUID.randomUUID().toString();
    public String identity;

    public ScriptedGolemJsRequestor(SandboxClient api) {
        this.api = api;
    }

    public String connect() {
        SandboxClient.Response version = api.withAppKey(null).get("/version/get");
        assertThat(version.status()).isEqualTo(200);
        SandboxClient.Response me = api.get("/me");
        assertThat(me.status()).isEqualTo(200);
        identity = me.json().get("identity").asText();
        return identity;
    }

    public String createAllocation(String total) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("totalAmount", total);
        body.put("paymentPlatform", PLATFORM);
        body.put("address", identity);
        body.put("timestamp", Instant.now().toString());
        body.put("timeout", Instant.now().plusSeconds(3600).toString());
        body.put("makeDeposit", false);
        body.put("remainingAmount", "");
        body.put("spentAmount", "");
        body.put("allocationId", "");
        SandboxClient.Response r = api.post("/payment-api/v1/allocations", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("allocationId").asText();
    }

    /** The demand golem-js builds: its default properties and constraints plus the allocation's decorations. */
    public Map<String, Object> demand(String allocationId, String... extraConstraints) {
        SandboxClient.Response decorations = api.get("/payment-api/v1/demandDecorations?allocationIds=" + allocationId);
        assertThat(decorations.status()).as(decorations.toString()).isEqualTo(200);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("golem.srv.comp.expiration", System.currentTimeMillis() + 3_600_000L);
        properties.put("golem.node.debug.subnet", "public");
        properties.put("golem.srv.comp.vm.package_format", "gvmkit-squash");
        properties.put("golem.srv.comp.task_package", TASK_PACKAGE);
        properties.put("golem.com.scheme.payu.debit-note.interval-sec?", 120);
        properties.put("golem.com.scheme.payu.payment-timeout-sec?", 120);
        properties.put("golem.com.payment.debit-notes.accept-timeout?", 120);
        decorations.json().get("properties").forEach(p -> properties.put(p.get("key").asText(), p.get("value").asText()));
        List<String> constraints = new ArrayList<>(List.of("(golem.com.pricing.model=linear)", "(golem.node.debug.subnet=public)",
                "(golem.runtime.name=vm)", "(golem.inf.mem.gib>=0.5)", "(golem.inf.storage.gib>=2)",
                "(golem.inf.cpu.cores>=1)", "(golem.inf.cpu.threads>=1)"));
        decorations.json().get("constraints").forEach(c -> constraints.add(c.asText()));
        constraints.addAll(List.of(extraConstraints));
        Map<String, Object> demand = new LinkedHashMap<>();
        demand.put("properties", properties);
        demand.put("constraints", "(&" + String.join("\n\t", constraints) + ")");
        return demand;
    }

    public String subscribe(Map<String, Object> demand) {
        SandboxClient.Response r = api.post("/market-api/v1/demands", demand);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().isTextual()).as("the id is a JSON string").isTrue();
        return r.json().asText();
    }

    public List<JsonNode> proposalEvents(String demandId, double timeoutSeconds) {
        SandboxClient.Response r = api.get("/market-api/v1/demands/" + demandId + "/events?timeout=" + timeoutSeconds + "&maxEvents=10");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        r.json().forEach(events::add);
        return events;
    }

    /** Counters a provider's proposal with the demand plus the chosen platform; returns the counter's id. */
    public String counter(String demandId, String proposalId, Map<String, Object> demand) {
        Map<String, Object> body = new LinkedHashMap<>(demand);
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = new LinkedHashMap<>((Map<String, Object>) demand.get("properties"));
        properties.put("golem.com.payment.chosen-platform", PLATFORM);
        body.put("properties", properties);
        SandboxClient.Response r = api.post("/market-api/v1/demands/" + demandId + "/proposals/" + proposalId, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().asText();
    }

    /** Negotiates with the first provider that proposes: Initial, counter, Draft. Returns the Draft. */
    public JsonNode negotiate(String demandId, Map<String, Object> demand) {
        List<JsonNode> initial = proposalEvents(demandId, 5);
        assertThat(initial).isNotEmpty();
        JsonNode offer = initial.get(0).get("proposal");
        String counterId = counter(demandId, offer.get("proposalId").asText(), demand);
        List<JsonNode> answers = proposalEvents(demandId, 5);
        return answers.stream().map(e -> e.get("proposal")).filter(p -> p != null && counterId.equals(p.path("prevProposalId").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no Draft answer to counter " + counterId + " in " + answers));
    }

    /** create + confirm + wait, as golem-js proposes an agreement; returns its id. */
    public String agree(String draftProposalId) {
        SandboxClient.Response created = api.post("/market-api/v1/agreements",
                Map.of("proposalId", draftProposalId, "validTo", Instant.now().plusSeconds(3600).toString()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String agreementId = created.json().asText();
        SandboxClient.Response confirm = api.post("/market-api/v1/agreements/" + agreementId + "/confirm?appSessionId=" + appSessionId, null);
        assertThat(confirm.status()).as(confirm.toString()).isEqualTo(204);
        SandboxClient.Response wait = api.post("/market-api/v1/agreements/" + agreementId + "/wait?timeout=60", null);
        assertThat(wait.status()).as(wait.toString()).isEqualTo(204);
        return agreementId;
    }

    public String createActivity(String agreementId) {
        SandboxClient.Response r = api.post("/activity-api/v1/activity?timeout=5", Map.of("agreementId", agreementId));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("activityId").asText();
    }

    public void destroyActivity(String activityId) {
        SandboxClient.Response r = api.delete("/activity-api/v1/activity/" + activityId + "?timeout=30");
        assertThat(r.status()).as(r.toString()).isEqualTo(204);
    }

    public void terminate(String agreementId) {
        SandboxClient.Response r = api.post("/market-api/v1/agreements/" + agreementId + "/terminate", Map.of("message", "Finished"));
        assertThat(r.status()).as(r.toString()).isEqualTo(204);
    }

    /** One poll of an event feed ("/market-api/v1/agreementEvents", "/payment-api/v1/invoiceEvents", ...) for this session. */
    public List<JsonNode> events(String feed, String afterTimestamp, double timeoutSeconds) {
        SandboxClient.Response r = api.get(feed + "?timeout=" + timeoutSeconds + "&afterTimestamp=" + afterTimestamp
                + "&maxEvents=100&appSessionId=" + appSessionId);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        r.json().forEach(events::add);
        return events;
    }
}
