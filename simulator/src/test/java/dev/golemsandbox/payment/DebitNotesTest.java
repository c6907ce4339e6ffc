package dev.golemsandbox.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.provider.ProviderSpec;
import dev.golemsandbox.sandbox.ScriptedGolemJsRequestor;
import dev.golemsandbox.sandbox.SandboxClient;
import dev.golemsandbox.sandbox.SandboxServer;
import dev.golemsandbox.sandbox.TestSandbox;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debit notes while an activity runs, at the interval agreed in negotiation, when the sandbox has them turned on. */
class DebitNotesTest {

    static final String FEED = "/payment-api/v1/debitNoteEvents";
    static final String INTERVAL = "/properties/golem.com.scheme.payu.debit-note.interval-sec?";

    @TempDir
    java.nio.file.Path dataDir;

    SandboxServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aRunningActivityGetsDebitNotesAtTheAgreedIntervalUntilItStops() {
        server = TestSandbox.start(dataDir, c -> c.withDebitNoteInterval(Duration.ofSeconds(30)));
        ScriptedGolemJsRequestor js = new ScriptedGolemJsRequestor(TestSandbox.client(server));
        js.connect();
        String allocationId = js.createAllocation("1");
        Map<String, Object> demand = askingForDebitNotesEverySecond(js.demand(allocationId));
        String demandId = js.subscribe(demand);
        JsonNode draft = js.negotiate(demandId, demand);
        assertThat(draft.at(INTERVAL).asInt()).as("the provider takes the requestor's interval").isEqualTo(1);
        String agreementId = js.agree(draft.get("proposalId").asText());
        Instant start = Instant.now();

        String activityId = js.createActivity(agreementId);
        // Each poll returns with the first note that comes; at the offer's own 30 s none would come within it.
        List<JsonNode> first = js.events(FEED, start.toString(), 10);
        assertThat(first).as("a debit note within 10 s").isNotEmpty();
        assertThat(first.get(0).get("eventType").asText()).isEqualTo("DebitNoteReceivedEvent");
        assertThat(Instant.parse(first.get(0).get("eventDate").asText())).as("not before one interval")
                .isAfterOrEqualTo(start.plusSeconds(1));
        List<JsonNode> second = js.events(FEED, first.get(0).get("eventDate").asText(), 10);
        assertThat(second).as("another debit note within 10 s").isNotEmpty();
        assertThat(Instant.parse(second.get(0).get("eventDate").asText())).as("not before two intervals")
                .isAfterOrEqualTo(start.plusSeconds(2));

        SandboxClient.Response note = js.api.get("/payment-api/v1/debitNotes/" + second.get(0).get("debitNoteId").asText());
        assertThat(note.status()).isEqualTo(200);
        assertThat(note.json().get("agreementId").asText()).isEqualTo(agreementId);
        assertThat(note.json().get("activityId").asText()).isEqualTo(activityId);
        assertThat(note.json().get("previousDebitNoteId").asText()).isEqualTo(first.get(0).get("debitNoteId").asText());
        assertThat(note.json().get("status").asText()).isEqualTo("RECEIVED");
        assertThat(note.json().get("usageCounterVector").toString()).isEqualTo("[2.0,10.0]");
        assertThat(note.json().get("paymentDueDate").asText()).as("mid-agreement payments were negotiated").isNotEmpty();
        double due = Double.parseDouble(note.json().get("totalAmountDue").asText());
        assertThat(due).isCloseTo((2 * 0.1 + 10 * 0.02) / 3600, within(1e-15));

        SandboxClient.Response accept = js.api.post("/payment-api/v1/debitNotes/" + second.get(0).get("debitNoteId").asText() + "/accept",
                Map.of("totalAmountAccepted", note.json().get("totalAmountDue").asText(), "allocationId", allocationId));
        assertThat(accept.status()).isEqualTo(204);
        assertThat(js.api.get("/payment-api/v1/debitNotes/" + second.get(0).get("debitNoteId").asText()).json().get("status").asText())
                .isEqualTo("ACCEPTED");

        js.destroyActivity(activityId);
        String afterStop = Instant.now().toString();
        assertThat(js.events(FEED, afterStop, 2.5)).as("no debit note once the activity stopped").isEmpty();
    }

    @Test
    void withDebitNotesOffTheOfferDoesNotNegotiateThemAndNoneCome() {
        server = TestSandbox.start(dataDir, c -> c.withProviders(ProviderSpec.defaults(1)));
        ScriptedGolemJsRequestor js = new ScriptedGolemJsRequestor(TestSandbox.client(server));
        js.connect();
        Map<String, Object> demand = askingForDebitNotesEverySecond(js.demand(js.createAllocation("1")));
        String demandId = js.subscribe(demand);
        JsonNode initial = js.proposalEvents(demandId, 5).get(0).get("proposal");
        assertThat(initial.at(INTERVAL).isMissingNode()).isTrue();
        String counterId = js.counter(demandId, initial.get("proposalId").asText(), demand);
        JsonNode draft = js.proposalEvents(demandId, 5).get(0).get("proposal");
        assertThat(draft.get("prevProposalId").asText()).isEqualTo(counterId);
        assertThat(draft.at(INTERVAL).isMissingNode()).as("the provider does not take up the requestor's interval").isTrue();
        String agreementId = js.agree(draft.get("proposalId").asText());
        String start = Instant.now().toString();

        String activityId = js.createActivity(agreementId);

        assertThat(js.events(FEED, start, 3)).as("no debit note for three times the interval the requestor asked for").isEmpty();
        js.destroyActivity(activityId);
    }

    /** golem-js's demand, asking for a debit note every second instead of its usual 120 s. */
    private static Map<String, Object> askingForDebitNotesEverySecond(Map<String, Object> demand) {
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = new LinkedHashMap<>((Map<String, Object>) demand.get("properties"));
        properties.put("golem.com.scheme.payu.debit-note.interval-sec?", 1);
        Map<String, Object> asking = new LinkedHashMap<>(demand);
        asking.put("properties", properties);
        return asking;
    }
}
