package dev.golemsandbox.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.market.RentedAgreement;
import dev.golemsandbox.provider.ProviderSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A requestor's whole rental against a real server whose providers run no VM: golem-js 3.6's call
 * sequence (connect, oneOf, run, disconnect), replayed step by step by {@link ScriptedGolemJsRequestor},
 * a Java imitation of the HTTP calls golem-js makes; activities are the fake activity API.
 *
 * <p>This is not golem-js: the real library is exercised by the npm examples in
 * {@code requestor-examples/js} ({@code npm test} against a running sandbox, in {@code .ci/test}).
 */
class RequestorFlowOnVmlessProvidersTest {

    @TempDir
    java.nio.file.Path dataDir;

    SandboxServer server;
    ScriptedGolemJsRequestor js;

    @BeforeEach
    void start() {
        server = TestSandbox.start(dataDir, c -> c.withProviders(ProviderSpec.defaults(3)));
        js = new ScriptedGolemJsRequestor(TestSandbox.client(server));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void versionAndIdentityAreWhatGolemJsChecks() {
        SandboxClient.Response version = js.api.withAppKey(null).get("/version/get");
        assertThat(version.status()).isEqualTo(200);
        assertThat(version.json().at("/current/version").asText()).isEqualTo("0.16.0");
        assertThat(version.json().at("/current/seen").asBoolean(true)).isFalse();
        assertThat(version.json().at("/current/releaseTs").asText()).isNotEmpty();
        assertThat(version.json().has("pending")).isTrue();
        assertThat(version.json().get("pending").isNull()).isTrue();

        SandboxClient.Response me = js.api.get("/me");
        assertThat(me.json().get("identity").asText()).matches("0x[0-9a-f]{40}").isEqualTo(server.requestorId());
        assertThat(me.json().get("name").asText()).isNotEmpty();
        assertThat(me.json().get("role").asText()).isNotEmpty();
    }

    @Test
    void aWholeRentalFromConnectToDisconnect() {
        String startedAt = Instant.now().toString();
        String me = js.connect();

        // allocation and the demand with its decorations
        String allocationId = js.createAllocation("1.25");
        SandboxClient.Response allocation = js.api.get("/payment-api/v1/allocations/" + allocationId);
        assertThat(allocation.json().get("totalAmount").asText()).isEqualTo("1.25");
        assertThat(allocation.json().get("remainingAmount").asText()).isEqualTo("1.25");
        assertThat(allocation.json().get("spentAmount").asText()).isEqualTo("0");
        assertThat(allocation.json().get("address").asText()).isEqualTo(me);
        assertThat(allocation.json().get("paymentPlatform").asText()).isEqualTo("erc20-holesky-tglm");

        SandboxClient.Response decorations = js.api.get("/payment-api/v1/demandDecorations?allocationIds=" + allocationId);
        assertThat(decorations.json().get("properties").toString()).isEqualTo(
                "[{\"key\":\"golem.com.payment.platform.erc20-holesky-tglm.address\",\"value\":\"" + me + "\"},"
                        + "{\"key\":\"golem.com.payment.protocol.version\",\"value\":\"3\"}]");
        assertThat(decorations.json().get("constraints").toString()).isEqualTo(
                "[\"(golem.com.payment.platform.erc20-holesky-tglm.address=*)\",\"(golem.com.payment.protocol.version>1)\"]");

        Map<String, Object> demand = js.demand(allocationId);
        String demandId = js.subscribe(demand);

        // one Initial proposal from each of the three providers
        List<JsonNode> initial = js.proposalEvents(demandId, 5);
        assertThat(initial).hasSize(3);
        Set<String> issuers = initial.stream().map(e -> e.at("/proposal/issuerId").asText()).collect(Collectors.toSet());
        assertThat(issuers).hasSize(3).allMatch(id -> id.matches("0x[0-9a-f]{40}"));
        JsonNode offer = initial.get(0);
        assertThat(offer.get("eventType").asText()).isEqualTo("ProposalEvent");
        assertThat(offer.get("eventDate").asText()).isNotEmpty();
        assertThat(offer.at("/proposal/state").asText()).isEqualTo("Initial");
        assertThat(offer.at("/proposal/prevProposalId").isMissingNode()).isTrue();
        JsonNode props = offer.at("/proposal/properties");
        assertThat(props.get("golem.runtime.name").asText()).isEqualTo("vm");
        assertThat(props.get("golem.com.usage.vector").size()).isEqualTo(2);
        assertThat(props.get("golem.com.pricing.model.linear.coeffs").size()).isEqualTo(3);
        assertThat(props.get("golem.com.payment.platform.erc20-holesky-tglm.address").asText()).matches("0x[0-9a-f]{40}");
        assertThat(props.get("golem.node.id.name").asText()).isNotBlank();

        // counter, read the counter back, the provider's Draft answer
        String offerId = offer.at("/proposal/proposalId").asText();
        String counterId = js.counter(demandId, offerId, demand);
        SandboxClient.Response counter = js.api.get("/market-api/v1/demands/" + demandId + "/proposals/" + counterId);
        assertThat(counter.status()).isEqualTo(200);
        assertThat(counter.json().get("state").asText()).isEqualTo("Draft");
        assertThat(counter.json().get("issuerId").asText()).isEqualTo(me);
        assertThat(counter.json().get("prevProposalId").asText()).isEqualTo(offerId);

        List<JsonNode> answers = js.proposalEvents(demandId, 5);
        assertThat(answers).hasSize(1);
        JsonNode draft = answers.get(0).get("proposal");
        assertThat(draft.get("state").asText()).isEqualTo("Draft");
        assertThat(draft.get("prevProposalId").asText()).isEqualTo(counterId);
        assertThat(draft.get("issuerId").asText()).isEqualTo(offer.at("/proposal/issuerId").asText());

        // agreement: create, get, confirm, wait, Approved
        String agreementId = js.agree(draft.get("proposalId").asText());
        SandboxClient.Response agreement = js.api.get("/market-api/v1/agreements/" + agreementId);
        assertThat(agreement.json().get("state").asText()).isEqualTo("Approved");
        assertThat(agreement.json().at("/demand/demandId").asText()).isEqualTo(demandId);
        assertThat(agreement.json().at("/demand/requestorId").asText()).isEqualTo(me);
        assertThat(agreement.json().at("/demand/properties/golem.srv.comp.task_package").asText()).isEqualTo(ScriptedGolemJsRequestor.TASK_PACKAGE);
        assertThat(agreement.json().at("/offer/providerId").asText()).isEqualTo(draft.get("issuerId").asText());
        assertThat(agreement.json().at("/offer/offerId").asText()).isNotEmpty();
        assertThat(agreement.json().get("appSessionId").asText()).isEqualTo(js.appSessionId);
        assertThat(agreement.json().get("approvedDate").asText()).isNotEmpty();
        assertThat(agreement.json().get("validTo").asText()).isNotEmpty();

        List<JsonNode> approved = js.events("/market-api/v1/agreementEvents", startedAt, 5);
        assertThat(approved).extracting(e -> e.get("eventType").asText()).containsExactly("AgreementApprovedEvent");
        assertThat(approved.get(0).get("agreementId").asText()).isEqualTo(agreementId);

        assertThat(js.api.delete("/market-api/v1/demands/" + demandId).status()).isEqualTo(204);

        // an activity claims the agreement through the lookup the activity API uses
        String activityId = js.createActivity(agreementId);
        RentedAgreement rented = server.market().approved(agreementId);
        assertThat(rented.taskPackage()).isEqualTo(ScriptedGolemJsRequestor.TASK_PACKAGE);
        assertThat(rented.provider().nodeId()).isEqualTo(draft.get("issuerId").asText());
        assertThat(rented.provider().runtime()).isInstanceOf(VmlessRuntime.class);
        // the VM is as big as the agreed offer says
        JsonNode agreed = draft.get("properties");
        assertThat(rented.resources().cpuThreads()).isEqualTo(agreed.get("golem.inf.cpu.threads").asInt());
        assertThat(rented.resources().memoryMib()).isEqualTo(Math.round(agreed.get("golem.inf.mem.gib").asDouble() * 1024));
        assertThat(rented.resources().storageMib()).isEqualTo(Math.round(agreed.get("golem.inf.storage.gib").asDouble() * 1024));
        assertThat(server.market().agreementModel(agreementId).activityIds()).containsExactly(activityId);
        js.destroyActivity(activityId);
        var terminatedForActivities = rented.whenTerminated();
        assertThat(terminatedForActivities).isNotDone();

        // terminate, the invoice event, the invoice, accept it
        js.terminate(agreementId);
        assertThat(terminatedForActivities).isCompletedWithValue("Finished");
        String lastAgreementEvent = approved.get(0).get("eventDate").asText();
        List<JsonNode> terminated = js.events("/market-api/v1/agreementEvents", lastAgreementEvent, 5);
        assertThat(terminated).hasSize(1);
        assertThat(terminated.get(0).get("eventType").asText()).isEqualTo("AgreementTerminatedEvent");
        assertThat(terminated.get(0).get("terminator").asText()).isEqualTo("Requestor");
        assertThat(terminated.get(0).at("/reason/message").asText()).isEqualTo("Finished");
        assertThat(js.api.get("/market-api/v1/agreements/" + agreementId).json().get("state").asText()).isEqualTo("Terminated");

        List<JsonNode> invoiceEvents = js.events("/payment-api/v1/invoiceEvents", startedAt, 5);
        assertThat(invoiceEvents).hasSize(1);
        assertThat(invoiceEvents.get(0).get("eventType").asText()).isEqualTo("InvoiceReceivedEvent");
        String invoiceId = invoiceEvents.get(0).get("invoiceId").asText();

        SandboxClient.Response invoice = js.api.get("/payment-api/v1/invoices/" + invoiceId);
        assertThat(invoice.status()).isEqualTo(200);
        JsonNode inv = invoice.json();
        assertThat(inv.get("status").asText()).isEqualTo("RECEIVED");
        assertThat(inv.get("agreementId").asText()).isEqualTo(agreementId);
        assertThat(inv.get("activityIds").toString()).isEqualTo("[\"" + activityId + "\"]");
        assertThat(inv.get("issuerId").asText()).isEqualTo(draft.get("issuerId").asText());
        assertThat(inv.get("recipientId").asText()).isEqualTo(me);
        assertThat(inv.get("payerAddr").asText()).isEqualTo(me);
        assertThat(inv.get("payeeAddr").asText()).isEqualTo(draft.at("/properties/golem.com.payment.platform.erc20-holesky-tglm.address").asText());
        assertThat(inv.get("paymentPlatform").asText()).isEqualTo("erc20-holesky-tglm");
        assertThat(inv.get("timestamp").asText()).isNotEmpty();
        assertThat(inv.get("paymentDueDate").asText()).isNotEmpty();
        // 2 CPU seconds at 0.1 GLM/h and 10 s at 0.02 GLM/h, no start price
        double expected = TestSandbox.CPU_SECONDS * 0.1 / 3600 + TestSandbox.DURATION_SECONDS * 0.02 / 3600;
        assertThat(inv.get("amount").isTextual()).isTrue();
        assertThat(Double.parseDouble(inv.get("amount").asText())).isCloseTo(expected, within(1e-15));

        // golem-js accepts with Number(amount) printed back as a JS number string
        String jsAmount = Double.toString(Double.parseDouble(inv.get("amount").asText())).replace("E", "e");
        SandboxClient.Response accept = js.api.post("/payment-api/v1/invoices/" + invoiceId + "/accept?timeout=5",
                Map.of("totalAmountAccepted", jsAmount, "allocationId", allocationId));
        assertThat(accept.status()).as(accept.toString()).isEqualTo(204);
        assertThat(js.api.get("/payment-api/v1/invoices/" + invoiceId).json().get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(js.events("/payment-api/v1/invoiceEvents", invoiceEvents.get(0).get("eventDate").asText(), 0))
                .as("no further invoice event (golem-js would take a second one for fraud)").isEmpty();

        // the allocation shows the spending, then is released
        JsonNode spent = js.api.get("/payment-api/v1/allocations/" + allocationId).json();
        assertThat(Double.parseDouble(spent.get("spentAmount").asText())).isCloseTo(expected, within(1e-15));
        assertThat(Double.parseDouble(spent.get("remainingAmount").asText())).isCloseTo(1.25 - expected, within(1e-15));
        assertThat(js.api.delete("/payment-api/v1/allocations/" + allocationId).status()).isEqualTo(204);
        assertThat(js.api.get("/payment-api/v1/allocations/" + allocationId).status()).isEqualTo(404);
    }

    @Test
    void anAgreementWithoutActivitiesIsInvoicedAtZero() {
        js.connect();
        String allocationId = js.createAllocation("1");
        Map<String, Object> demand = js.demand(allocationId);
        String demandId = js.subscribe(demand);
        String agreementId = js.agree(js.negotiate(demandId, demand).get("proposalId").asText());

        js.terminate(agreementId);

        List<JsonNode> events = js.events("/payment-api/v1/invoiceEvents", "2000-01-01T00:00:00Z", 5);
        assertThat(events).hasSize(1);
        JsonNode invoice = js.api.get("/payment-api/v1/invoices/" + events.get(0).get("invoiceId").asText()).json();
        assertThat(invoice.get("amount").asText()).isEqualTo("0");
        assertThat(invoice.get("activityIds").size()).isZero();
    }
}
