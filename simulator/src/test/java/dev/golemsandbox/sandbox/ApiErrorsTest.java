package dev.golemsandbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of caller mistake gets the right status and a {"message": ...} that says what is wrong. */
class ApiErrorsTest {

    @TempDir
    java.nio.file.Path dataDir;

    SandboxServer server;
    SandboxClient api;
    ScriptedGolemJsRequestor js;

    @BeforeEach
    void start() {
        server = TestSandbox.start(dataDir);
        api = TestSandbox.client(server);
        js = new ScriptedGolemJsRequestor(api);
        js.connect();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static void assertError(SandboxClient.Response r, int status, String messagePart) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().fieldNames()).toIterable().containsExactly("message");
        assertThat(r.message()).contains(messagePart);
    }

    @Test
    void everyYagnaApiNeedsTheAppKey() {
        SandboxClient anonymous = api.withAppKey(null);
        for (String path : List.of("/me", "/market-api/v1/demands", "/payment-api/v1/allocations",
                "/market-api/v1/agreementEvents?timeout=0", "/activity-api/v1/activity/x", "/net-api/v1/net", "/no/such/endpoint")) {
            assertError(anonymous.get(path), 401, "missing app key: send the header 'Authorization: Bearer <app key>'");
        }
        assertError(api.withAppKey("not-the-key").get("/me"), 401, "invalid app key");
        assertError(anonymous.post("/market-api/v1/demands", Map.of()), 401, "missing app key");
    }

    @Test
    void versionAndSandboxEndpointsAreOpen() {
        SandboxClient anonymous = api.withAppKey(null);
        assertThat(anonymous.get("/version/get").status()).isEqualTo(200);
        assertThat(anonymous.get("/_sandbox/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/_sandbox/info").status()).isEqualTo(200);
    }

    @Test
    void unknownIdsAre404() {
        assertError(api.get("/market-api/v1/demands/nope/events?timeout=0"), 404, "demand nope not found");
        assertError(api.delete("/market-api/v1/demands/nope"), 404, "demand nope not found");
        assertError(api.get("/market-api/v1/agreements/nope"), 404, "agreement nope not found");
        assertError(api.post("/market-api/v1/agreements/nope/confirm", null), 404, "agreement nope not found");
        assertError(api.post("/market-api/v1/agreements/nope/terminate", Map.of("message", "x")), 404, "agreement nope not found");
        assertError(api.post("/market-api/v1/agreements", Map.of("proposalId", "nope", "validTo", Instant.now().plusSeconds(60).toString())),
                404, "proposal nope not found");
        assertError(api.get("/payment-api/v1/allocations/nope"), 404, "allocation nope not found");
        assertError(api.delete("/payment-api/v1/allocations/nope"), 404, "allocation nope not found");
        assertError(api.get("/payment-api/v1/demandDecorations?allocationIds=nope"), 404, "allocation nope not found");
        assertError(api.get("/payment-api/v1/invoices/nope"), 404, "invoice nope not found");
        assertError(api.post("/payment-api/v1/invoices/nope/accept", Map.of("totalAmountAccepted", "1", "allocationId", "a")),
                404, "invoice nope not found");
        assertError(api.get("/payment-api/v1/debitNotes/nope"), 404, "debit note nope not found");
        assertError(api.get("/no/such/endpoint"), 404, "GET /no/such/endpoint");

        String demandId = js.subscribe(js.demand(js.createAllocation("1")));
        assertError(api.get("/market-api/v1/demands/" + demandId + "/proposals/nope"), 404, "proposal nope not found in demand " + demandId);
    }

    @Test
    void anUnsubscribedDemandAnswers404SoGolemJsStopsPollingQuietly() {
        String demandId = js.subscribe(js.demand(js.createAllocation("1")));
        assertThat(api.delete("/market-api/v1/demands/" + demandId).status()).isEqualTo(204);

        assertError(api.get("/market-api/v1/demands/" + demandId + "/events?timeout=1"), 404, "demand " + demandId + " was unsubscribed");
        assertError(api.delete("/market-api/v1/demands/" + demandId), 410, "was already unsubscribed");
    }

    @Test
    void malformedBodiesAre400() {
        assertError(api.postRaw("/market-api/v1/demands", "{\"properties\": {"), 400, "malformed JSON body at line 1");
        assertError(api.postRaw("/market-api/v1/demands", ""), 400, "request body is empty");
        assertError(api.postRaw("/market-api/v1/demands", "[1,2]"), 400, "request body must be a JSON object, got an array");
        assertError(api.post("/market-api/v1/demands", Map.of("constraints", "(a=1)")), 400, "request body lacks the field 'properties'");
        assertError(api.post("/market-api/v1/demands", Map.of("properties", "x", "constraints", "(a=1)")), 400,
                "field 'properties' must be a JSON object, got string \"x\"");
        assertError(api.post("/market-api/v1/demands", Map.of("properties", Map.of(), "constraints", 5)), 400,
                "field 'constraints' must be a string");
        assertError(api.postRaw("/payment-api/v1/allocations", "{\"totalAmount\": \"lots\"}"), 400,
                "field 'totalAmount' must be a decimal amount such as \"1.25\", got \"lots\"");
        assertError(api.post("/payment-api/v1/allocations", Map.of("totalAmount", "-1")), 400, "totalAmount cannot be negative");
        assertError(api.post("/payment-api/v1/allocations", Map.of("totalAmount", "1e999999")), 400, "field 'totalAmount' is out of range");
        assertError(api.post("/payment-api/v1/allocations", Map.of("totalAmount", "1", "paymentPlatform", "holesky")), 400,
                "paymentPlatform must look like <driver>-<network>-<token>");
        assertError(api.post("/market-api/v1/agreements", Map.of("proposalId", "x", "validTo", "tomorrow")), 400,
                "validTo must be an ISO-8601 date-time");
    }

    @Test
    void malformedConstraintsAre400SayingWhere() {
        assertError(api.post("/market-api/v1/demands", Map.of("properties", Map.of(), "constraints", "(&(golem.runtime.name=vm)")), 400,
                "constraints: unexpected end of input: missing ')' at offset 25");
        assertError(api.post("/market-api/v1/demands", Map.of("properties", Map.of(), "constraints", "(golem.inf.mem.gib~=1)")), 400,
                "the approximate operator '~=' is not supported");
    }

    @Test
    void badQueryParametersAre400() {
        assertError(api.get("/market-api/v1/agreementEvents?timeout=soon"), 400, "timeout must be a number of seconds");
        assertError(api.get("/market-api/v1/agreementEvents?timeout=-1"), 400, "timeout must be a non-negative number");
        assertError(api.get("/market-api/v1/agreementEvents?maxEvents=0"), 400, "maxEvents must be an integer from 1 to 100");
        assertError(api.get("/payment-api/v1/invoiceEvents?afterTimestamp=yesterday"), 400, "afterTimestamp must be an ISO-8601 date-time");
        assertError(api.get("/payment-api/v1/demandDecorations"), 400, "allocationIds is required");
        assertError(api.get("/market-api/v1/agreements?state=Happy"), 400, "state must be one of");
    }

    @Test
    void wrongStatesAre409AndFinalStates410() {
        String allocationId = js.createAllocation("1");
        var demand = js.demand(allocationId);
        String demandId = js.subscribe(demand);
        JsonNode initial = js.proposalEvents(demandId, 5).get(0).get("proposal");
        String validTo = Instant.now().plusSeconds(600).toString();

        assertError(api.post("/market-api/v1/agreements", Map.of("proposalId", initial.get("proposalId").asText(), "validTo", validTo)),
                409, "is Initial: counter it first");
        String counterId = js.counter(demandId, initial.get("proposalId").asText(), demand);
        assertError(api.post("/market-api/v1/agreements", Map.of("proposalId", counterId, "validTo", validTo)),
                409, "is the requestor's counter-proposal");
        assertError(api.post("/market-api/v1/demands/" + demandId + "/proposals/" + counterId, demand), 409, "is your own counter-proposal");
        JsonNode draft = js.proposalEvents(demandId, 5).stream().map(e -> e.get("proposal"))
                .filter(p -> p != null && "Draft".equals(p.path("state").asText())).findFirst().orElseThrow();
        assertError(api.post("/market-api/v1/agreements", Map.of("proposalId", draft.get("proposalId").asText(),
                "validTo", Instant.now().minusSeconds(1).toString())), 400, "is not in the future");

        String agreementId = api.post("/market-api/v1/agreements", Map.of("proposalId", draft.get("proposalId").asText(), "validTo", validTo))
                .json().asText();
        assertError(api.post("/market-api/v1/agreements", Map.of("proposalId", draft.get("proposalId").asText(), "validTo", validTo)),
                410, "already became agreement " + agreementId);
        assertError(api.post("/market-api/v1/agreements/" + agreementId + "/wait?timeout=1", null), 409, "is not confirmed yet");
        assertError(api.post("/market-api/v1/agreements/" + agreementId + "/terminate", Map.of("message", "x")), 409,
                "is Proposal: only an Approved agreement can be terminated");
        assertError(api.post("/activity-api/v1/activity", Map.of("agreementId", agreementId)), 409,
                "activities can be created once it is Approved");

        api.post("/market-api/v1/agreements/" + agreementId + "/confirm?appSessionId=" + js.appSessionId, null);
        assertError(api.post("/market-api/v1/agreements/" + agreementId + "/confirm", null), 409, "is already confirmed");
        assertError(api.post("/market-api/v1/agreements/" + agreementId + "/cancel", null), 409, "terminate it instead of cancelling");
        String activityId = js.createActivity(agreementId);
        assertError(api.post("/activity-api/v1/activity", Map.of("agreementId", agreementId)), 409,
                "already runs activity " + activityId + "; destroy it before creating another");

        js.terminate(agreementId);
        assertError(api.post("/market-api/v1/agreements/" + agreementId + "/terminate", Map.of("message", "x")), 410, "is already Terminated");
        assertError(api.post("/market-api/v1/agreements/" + agreementId + "/wait?timeout=1", null), 410, "is Terminated: Finished");
        assertError(api.post("/activity-api/v1/activity", Map.of("agreementId", agreementId)), 410, "is Terminated: Finished");

        String invoiceId = js.events("/payment-api/v1/invoiceEvents", "2000-01-01T00:00:00Z", 5).get(0).get("invoiceId").asText();
        assertError(api.post("/payment-api/v1/invoices/" + invoiceId + "/accept", Map.of("totalAmountAccepted", "5", "allocationId", allocationId)),
                400, "totalAmountAccepted 5 is not the invoice's amount");
        String amount = api.get("/payment-api/v1/invoices/" + invoiceId).json().get("amount").asText();
        assertThat(api.post("/payment-api/v1/invoices/" + invoiceId + "/accept", Map.of("totalAmountAccepted", amount, "allocationId", allocationId))
                .status()).isEqualTo(204);
        assertError(api.post("/payment-api/v1/invoices/" + invoiceId + "/reject", Map.of("rejectionReason", "BAD_SERVICE",
                "totalAmountAccepted", "0")), 409, "an accepted invoice cannot be rejected");
        api.delete("/payment-api/v1/allocations/" + allocationId);
        assertError(api.delete("/payment-api/v1/allocations/" + allocationId), 410, "was already released");
    }

    @Test
    void anInvoiceLargerThanTheAllocationIsRefused() {
        String small = js.createAllocation("0.00000001");
        var demand = js.demand(small);
        String agreementId = js.agree(js.negotiate(js.subscribe(demand), demand).get("proposalId").asText());
        js.destroyActivity(js.createActivity(agreementId));
        js.terminate(agreementId);
        String invoiceId = js.events("/payment-api/v1/invoiceEvents", "2000-01-01T00:00:00Z", 5).get(0).get("invoiceId").asText();
        String amount = api.get("/payment-api/v1/invoices/" + invoiceId).json().get("amount").asText();

        assertError(api.post("/payment-api/v1/invoices/" + invoiceId + "/accept", Map.of("totalAmountAccepted", amount, "allocationId", small)),
                400, "Not enough funds. Allocated: 0.00000001 Needed: " + amount);
    }

    @Test
    void theProviderSideOfTheMarketIsNotImplemented() {
        assertError(api.post("/market-api/v1/offers", Map.of()), 404, "the provider side of the Market API");
    }
}
