package dev.golemsandbox.market;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.provider.ProviderSpec;
import dev.golemsandbox.sandbox.SandboxClient;
import dev.golemsandbox.sandbox.SandboxServer;
import dev.golemsandbox.sandbox.ScriptedGolemJsRequestor;
import dev.golemsandbox.sandbox.TestSandbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Providers break agreements on their own as ya-provider does, each time with its reason message
 * and {@code golem.provider.code} in the {@code AgreementTerminatedEvent}, and the invoice follows
 * once: an agreement that runs no activity ({@code NoActivity}), a debit note not accepted in time
 * ({@code DebitNotesDeadline}) or rejected ({@code DebitNoteRejected}). The timeouts are set short
 * here; the waits for the provider's move are generous.
 */
class ProviderBreaksAgreementsTest {

    static final String DEBIT_NOTES = "/payment-api/v1/debitNoteEvents";
    static final String ACCEPT_TIMEOUT = "golem.com.payment.debit-notes.accept-timeout?";

    @TempDir
    java.nio.file.Path dataDir;

    SandboxServer server;
    ScriptedGolemJsRequestor js;
    String allocationId;

    @AfterEach
    void stop() {
        server.close();
    }

    private void start(UnaryOperator<dev.golemsandbox.sandbox.SandboxConfig> tweak) {
        server = TestSandbox.start(dataDir, c -> tweak.apply(c.withProviders(ProviderSpec.defaults(1))));
        js = new ScriptedGolemJsRequestor(TestSandbox.client(server));
        js.connect();
        allocationId = js.createAllocation("1");
    }

    /** golem-js's demand with other debit-note settings. */
    private Map<String, Object> demand(Object acceptTimeout, Object interval) {
        Map<String, Object> demand = js.demand(allocationId);
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = new LinkedHashMap<>((Map<String, Object>) demand.get("properties"));
        if (acceptTimeout == null) {
            properties.remove(ACCEPT_TIMEOUT);
        } else {
            properties.put(ACCEPT_TIMEOUT, acceptTimeout);
        }
        properties.put("golem.com.scheme.payu.debit-note.interval-sec?", interval);
        demand.put("properties", properties);
        return demand;
    }

    private String agree(Map<String, Object> demand) {
        return js.agree(js.negotiate(js.subscribe(demand), demand).get("proposalId").asText());
    }

    @Test
    void anAgreementWithoutActivityIsBrokenForNoActivityAndInvoicedOnce() {
        ProviderSpec base = ProviderSpec.defaults(1).get(0);
        ProviderSpec impatient = new ProviderSpec(base.name(), base.nodeId(), base.cores(), base.threads(), base.memGib(),
                base.storageGib(), base.capacity(), base.pricing(), base.subnet(), base.paymentPlatforms(), base.paymentAddress(),
                base.extraProperties(), base.capabilities(), new ProviderTimeouts(Duration.ofSeconds(2), null, null, null));
        server = TestSandbox.start(dataDir, c -> c.withProviders(List.of(impatient)));
        js = new ScriptedGolemJsRequestor(TestSandbox.client(server));
        js.connect();
        allocationId = js.createAllocation("1");
        String start = Instant.now().minusSeconds(1).toString();
        String agreementId = agree(js.demand(allocationId));

        JsonNode event = ProviderTerminationTest.nextEventWith(js, "terminator", start);

        assertThat(event.get("agreementId").asText()).isEqualTo(agreementId);
        assertThat(event.get("terminator").asText()).isEqualTo("Provider");
        assertThat(event.at("/reason/message").asText()).isEqualTo("No activity created within 2s");
        assertThat(event.at("/reason/golem.provider.code").asText()).isEqualTo("NoActivity");
        assertThat(js.api.get("/market-api/v1/agreements/" + agreementId).json().get("state").asText()).isEqualTo("Terminated");
        assertThat(invoicesOf(agreementId, start)).as("one invoice, though the provider ended it").hasSize(1);
    }

    @Test
    void aDebitNoteNotAcceptedInTimeBreaksTheAgreementForDebitNotesDeadline() {
        start(c -> c.withDebitNoteInterval(Duration.ofSeconds(1)));
        String start = Instant.now().minusSeconds(1).toString();
        Map<String, Object> demand = demand(5, 1);
        String agreementId = agree(demand);
        js.createActivity(agreementId);
        assertThat(js.events(DEBIT_NOTES, start, 10)).as("a debit note comes, and is left unanswered").isNotEmpty();

        JsonNode event = ProviderTerminationTest.nextEventWith(js, "terminator", start);

        assertThat(event.get("terminator").asText()).isEqualTo("Provider");
        assertThat(event.at("/reason/message").asText()).isEqualTo("Requestor isn't accepting DebitNotes in time (5s)");
        assertThat(event.at("/reason/golem.provider.code").asText()).isEqualTo("DebitNotesDeadline");
        assertThat(invoicesOf(agreementId, start)).hasSize(1);
    }

    @Test
    void aRejectedDebitNoteBreaksTheAgreementSayingWhatTheRequestorSent() {
        start(c -> c.withDebitNoteInterval(Duration.ofSeconds(1)));
        String start = Instant.now().minusSeconds(1).toString();
        String agreementId = agree(demand(120, 1));
        js.createActivity(agreementId);
        List<JsonNode> notes = js.events(DEBIT_NOTES, start, 10);
        assertThat(notes).isNotEmpty();
        SandboxClient.Response reject = js.api.post("/payment-api/v1/debitNotes/" + notes.get(0).get("debitNoteId").asText() + "/reject",
                Map.of("rejectionReason", "BadService", "totalAmountAccepted", "0", "message", "too slow"));
        assertThat(reject.status()).as(reject.toString()).isEqualTo(204);

        JsonNode event = ProviderTerminationTest.nextEventWith(js, "terminator", start);

        assertThat(event.get("terminator").asText()).isEqualTo("Provider");
        assertThat(event.at("/reason/message").asText()).isEqualTo("Requestor rejected the debit note: Rejection { rejection_reason: "
                + "BadService, total_amount_accepted: BigDecimal(\"0\"), message: Some(\"too slow\") }");
        assertThat(event.at("/reason/golem.provider.code").asText()).isEqualTo("DebitNoteRejected");
        assertThat(invoicesOf(agreementId, start)).hasSize(1);
    }

    @Test
    void debitNotesAcceptedInTimeKeepTheAgreement() {
        start(c -> c.withDebitNoteInterval(Duration.ofSeconds(1)));
        String cursor = Instant.now().minusSeconds(1).toString();
        String agreementId = agree(demand(5, 1));
        js.createActivity(agreementId);
        // Twice the accept-timeout, answering every note as golem-js does.
        Instant until = Instant.now().plusSeconds(10);
        int accepted = 0;
        while (Instant.now().isBefore(until)) {
            for (JsonNode event : js.events(DEBIT_NOTES, cursor, 1)) {
                String id = event.get("debitNoteId").asText();
                String due = js.api.get("/payment-api/v1/debitNotes/" + id).json().get("totalAmountDue").asText();
                assertThat(js.api.post("/payment-api/v1/debitNotes/" + id + "/accept",
                        Map.of("totalAmountAccepted", due, "allocationId", allocationId)).status()).isEqualTo(204);
                accepted++;
                cursor = event.get("eventDate").asText();
            }
        }
        assertThat(accepted).as("debit notes came and were accepted").isGreaterThanOrEqualTo(3);
        assertThat(js.api.get("/market-api/v1/agreements/" + agreementId).json().get("state").asText()).isEqualTo("Approved");
    }

    @Test
    void theAcceptTimeoutIsNegotiatedDownToFiveSecondsButNotUp() {
        start(c -> c.withDebitNoteAcceptTimeout(Duration.ofSeconds(200)));
        assertThat(draftFor(demand(120, 120)).path(ACCEPT_TIMEOUT).asInt()).as("the requestor's lower one").isEqualTo(120);
        assertThat(draftFor(demand(300, 120)).path(ACCEPT_TIMEOUT).asInt()).as("the provider's, never higher").isEqualTo(200);
        assertThat(draftFor(demand(null, 120)).has(ACCEPT_TIMEOUT)).as("none asked: no deadline").isFalse();

        Map<String, Object> tooShort = demand(3, 120);
        String demandId = js.subscribe(tooShort);
        String offerId = js.proposalEvents(demandId, 5).get(0).at("/proposal/proposalId").asText();
        String counterId = js.counter(demandId, offerId, tooShort);
        JsonNode rejected = js.proposalEvents(demandId, 5).get(0);
        assertThat(rejected.get("eventType").asText()).isEqualTo("ProposalRejectedEvent");
        assertThat(rejected.get("proposalId").asText()).isEqualTo(counterId);
        assertThat(rejected.at("/reason/message").asText()).contains("is below the provider's minimum of 5 s");
    }

    /** The provider's Draft answer's properties; the demand is unsubscribed again, so the provider proposes to the next. */
    private JsonNode draftFor(Map<String, Object> demand) {
        String demandId = js.subscribe(demand);
        JsonNode draft = js.negotiate(demandId, demand);
        assertThat(js.api.delete("/market-api/v1/demands/" + demandId).status()).isEqualTo(204);
        return draft.get("properties");
    }

    private List<JsonNode> invoicesOf(String agreementId, String after) {
        Instant deadline = Instant.now().plusSeconds(30);
        List<JsonNode> invoices = new ArrayList<>();
        while (invoices.isEmpty() && Instant.now().isBefore(deadline)) {
            for (JsonNode event : js.events("/payment-api/v1/invoiceEvents", after, 5)) {
                JsonNode invoice = js.api.get("/payment-api/v1/invoices/" + event.get("invoiceId").asText()).json();
                if (invoice.get("agreementId").asText().equals(agreementId)) {
                    invoices.add(invoice);
                }
            }
        }
        // A second invoice would come at once after the first: one more poll finds none.
        String last = Instant.now().toString();
        assertThat(js.events("/payment-api/v1/invoiceEvents", last, 2)).isEmpty();
        return invoices;
    }
}
