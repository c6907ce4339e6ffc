package dev.golemsandbox.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.provider.ProviderSpec;
import dev.golemsandbox.sandbox.Sandbox;
import dev.golemsandbox.sandbox.SandboxClient;
import dev.golemsandbox.sandbox.SandboxConfig;
import dev.golemsandbox.sandbox.ScriptedGolemJsRequestor;
import dev.golemsandbox.testing.TestRuntime;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a requestor pays for a real VM: a command burns CPU in the provider's QEMU microVM, debit
 * notes come while it runs (each total due priced from the usage counters it names, growing, and
 * never ahead of {@code /usage}), the allocation spends what accepted documents add, and the
 * invoice after the agreement ends is the agreed linear price of the measured usage, above the
 * start price. Accepting more than the allocation holds is refused as yagna refuses it.
 */
class PaymentsOnARealVmTest {

    static final String PROVIDER = "birch";
    static Sandbox sandbox;
    static SandboxClient api;

    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        SandboxConfig config = SandboxConfig.defaults(TestRuntime.home(home.resolve("data"))).withPort(0)
                .withProviders(ProviderSpec.defaults(2)).withDebitNoteInterval(Duration.ofSeconds(2));
        sandbox = Sandbox.start(config, line -> System.out.println("[sandbox] " + line));
        sandbox.awaitReady(Duration.ofMinutes(10));
        api = new SandboxClient(sandbox.baseUrl(), sandbox.appKey());
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void theInvoiceIsThePriceOfTheMeasuredUsageAndDebitNotesGrowWithIt() throws Exception {
        ScriptedGolemJsRequestor js = new ScriptedGolemJsRequestor(api);
        js.connect();
        String allocationId = js.createAllocation("1");
        String agreementId = js.agree(js.negotiate(js.subscribe(demand(js, allocationId)), demand(js, allocationId)).get("proposalId").asText());
        JsonNode offer = api.get("/market-api/v1/agreements/" + agreementId).json().at("/offer/properties");
        assertThat(offer.get("golem.node.id.name").asText()).isEqualTo(PROVIDER);
        List<BigDecimal> coeffs = new ArrayList<>();
        offer.get("golem.com.pricing.model.linear.coeffs").forEach(c -> coeffs.add(c.decimalValue()));
        BigDecimal startPrice = coeffs.get(2);
        assertThat(startPrice).isPositive();

        String activityId = js.createActivity(agreementId);
        String start = Instant.now().minusSeconds(1).toString();
        awaitBatch(activityId, exec(activityId, "[{\"deploy\":{}},{\"start\":{}}]"));
        // About 8 s of busy shell arithmetic in the guest: CPU seconds the host measures on QEMU.
        String burn = exec(activityId, "[{\"run\":{\"entry_point\":\"/bin/sh\",\"args\":[\"-c\","
                + "\"end=$(( $(date +%s) + 8 )); while [ $(date +%s) -lt $end ]; do :; done; echo burnt\"],"
                + "\"capture\":{\"stdout\":{\"atEnd\":{\"format\":\"string\"}}}}}]");

        List<JsonNode> notes = new ArrayList<>();
        List<JsonNode> usageAfterNote = new ArrayList<>();
        String cursor = start;
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        boolean burnt = false;
        while (!burnt && Instant.now().isBefore(deadline)) {
            for (JsonNode event : js.events("/payment-api/v1/debitNoteEvents", cursor, 1)) {
                JsonNode note = api.get("/payment-api/v1/debitNotes/" + event.get("debitNoteId").asText()).json();
                usageAfterNote.add(api.get("/activity-api/v1/activity/" + activityId + "/usage").json());
                notes.add(note);
                SandboxClient.Response accept = api.post("/payment-api/v1/debitNotes/" + note.get("debitNoteId").asText() + "/accept",
                        Map.of("totalAmountAccepted", note.get("totalAmountDue").asText(), "allocationId", allocationId));
                assertThat(accept.status()).as(accept.toString()).isEqualTo(204);
                cursor = event.get("eventDate").asText();
            }
            JsonNode results = api.get("/activity-api/v1/activity/" + activityId + "/exec/" + burn + "?timeout=0").json();
            burnt = results.size() == 1 && results.get(0).get("isBatchFinished").asBoolean();
        }
        JsonNode burnResult = api.get("/activity-api/v1/activity/" + activityId + "/exec/" + burn + "?timeout=0").json().get(0);
        assertThat(burnResult.get("stdout").asText()).as(burnResult.toString()).isEqualTo("burnt\n");

        assertThat(notes).as("debit notes every 2 s during the burn").hasSizeGreaterThanOrEqualTo(2);
        BigDecimal previousDue = BigDecimal.ZERO;
        double previousCpu = 0;
        for (int i = 0; i < notes.size(); i++) {
            JsonNode note = notes.get(i);
            BigDecimal due = new BigDecimal(note.get("totalAmountDue").asText());
            double cpu = note.get("usageCounterVector").get(0).asDouble();
            double duration = note.get("usageCounterVector").get(1).asDouble();
            assertThat(due).as("note %d is the agreed price of the usage it names", i)
                    .isEqualByComparingTo(price(coeffs, cpu, duration));
            assertThat(due).as("note %d does not go down", i).isGreaterThanOrEqualTo(previousDue);
            assertThat(cpu).as("CPU seconds do not go down").isGreaterThanOrEqualTo(previousCpu);
            JsonNode usage = usageAfterNote.get(i).get("currentUsage");
            assertThat(usage.get(0).asDouble()).as("/usage read after note %d is not behind it", i).isGreaterThanOrEqualTo(cpu);
            assertThat(usage.get(1).asDouble()).isGreaterThanOrEqualTo(duration);
            previousDue = due;
            previousCpu = cpu;
        }
        assertThat(notes.get(notes.size() - 1).get("totalAmountDue").asText()).isNotEqualTo(notes.get(0).get("totalAmountDue").asText());
        JsonNode allocation = api.get("/payment-api/v1/allocations/" + allocationId).json();
        assertThat(new BigDecimal(allocation.get("spentAmount").asText())).as("spent: the last accepted note's total")
                .isEqualByComparingTo(previousDue);

        js.destroyActivity(activityId);
        JsonNode finalUsage = api.get("/activity-api/v1/activity/" + activityId + "/usage").json().get("currentUsage");
        js.terminate(agreementId);
        JsonNode invoice = invoiceOf(js, agreementId, start);
        BigDecimal amount = new BigDecimal(invoice.get("amount").asText());
        double cpuSeconds = finalUsage.get(0).asDouble();
        assertThat(cpuSeconds).as("the burn shows as CPU seconds").isGreaterThan(3.0);
        assertThat(amount).as("the invoice is the agreed price of the final usage %s", finalUsage)
                .isEqualByComparingTo(price(coeffs, cpuSeconds, finalUsage.get(1).asDouble()));
        assertThat(amount).isGreaterThan(startPrice).isGreaterThanOrEqualTo(previousDue);
        System.out.printf("real VM on %s: %d debit notes up to %s GLM, final usage %s, invoice %s GLM (start price %s)%n",
                PROVIDER, notes.size(), previousDue.toPlainString(), finalUsage, amount.toPlainString(), startPrice.toPlainString());

        SandboxClient.Response accept = api.post("/payment-api/v1/invoices/" + invoice.get("invoiceId").asText() + "/accept",
                Map.of("totalAmountAccepted", invoice.get("amount").asText(), "allocationId", allocationId));
        assertThat(accept.status()).as(accept.toString()).isEqualTo(204);
        JsonNode after = api.get("/payment-api/v1/allocations/" + allocationId).json();
        assertThat(new BigDecimal(after.get("spentAmount").asText())).as("spent: the invoice, counting its notes once")
                .isEqualByComparingTo(amount);
        assertThat(new BigDecimal(after.get("remainingAmount").asText())).isEqualByComparingTo(BigDecimal.ONE.subtract(amount));
    }

    @Test
    void acceptingMoreThanTheAllocationHoldsIsRefusedAsYagnaDoes() throws Exception {
        ScriptedGolemJsRequestor js = new ScriptedGolemJsRequestor(api);
        js.connect();
        String tiny = js.createAllocation("0.000001");
        String start = Instant.now().minusSeconds(1).toString();
        String agreementId = js.agree(js.negotiate(js.subscribe(demand(js, tiny)), demand(js, tiny)).get("proposalId").asText());
        String activityId = js.createActivity(agreementId);
        awaitBatch(activityId, exec(activityId, "[{\"deploy\":{}},{\"start\":{}}]"));
        js.destroyActivity(activityId);
        js.terminate(agreementId);
        JsonNode invoice = invoiceOf(js, agreementId, start);
        assertThat(new BigDecimal(invoice.get("amount").asText())).as("birch's start price alone is more").isGreaterThan(new BigDecimal("0.000001"));

        SandboxClient.Response refused = api.post("/payment-api/v1/invoices/" + invoice.get("invoiceId").asText() + "/accept",
                Map.of("totalAmountAccepted", invoice.get("amount").asText(), "allocationId", tiny));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.message()).isEqualTo("Not enough funds. Allocated: 0.000001 Needed: " + invoice.get("amount").asText());
        assertThat(api.get("/payment-api/v1/allocations/" + tiny).json().get("spentAmount").asText()).isEqualTo("0");
        assertThat(api.get("/payment-api/v1/invoices/" + invoice.get("invoiceId").asText()).json().get("status").asText()).isEqualTo("RECEIVED");
    }

    /** golem-js's demand for the busybox image, on birch, with a debit note every 2 s. */
    private static Map<String, Object> demand(ScriptedGolemJsRequestor js, String allocationId) {
        JsonNode image = api.withAppKey(null).get("/v1/image/info?tag=sandbox/busybox:latest").json();
        Map<String, Object> demand = js.demand(allocationId, "(golem.node.id.name=" + PROVIDER + ")");
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = new LinkedHashMap<>((Map<String, Object>) demand.get("properties"));
        properties.put("golem.srv.comp.task_package", "hash:sha3:" + image.get("sha3").asText() + ":" + image.get("http").asText());
        properties.put("golem.com.scheme.payu.debit-note.interval-sec?", 2);
        demand.put("properties", properties);
        return demand;
    }

    private static BigDecimal price(List<BigDecimal> coeffs, double cpuSeconds, double durationSeconds) {
        return coeffs.get(2).add(coeffs.get(0).multiply(BigDecimal.valueOf(cpuSeconds)))
                .add(coeffs.get(1).multiply(BigDecimal.valueOf(durationSeconds))).round(MathContext.DECIMAL64);
    }

    private static String exec(String activityId, String script) {
        SandboxClient.Response r = api.post("/activity-api/v1/activity/" + activityId + "/exec", Map.of("text", script));
        assertThat(r.status()).as(r.toString()).isBetween(200, 201);
        return r.json().asText();
    }

    private static void awaitBatch(String activityId, String batchId) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            JsonNode results = api.get("/activity-api/v1/activity/" + activityId + "/exec/" + batchId + "?timeout=10").json();
            if (results.size() > 0 && results.get(results.size() - 1).get("isBatchFinished").asBoolean()) {
                assertThat(results.findValuesAsText("result")).as(results.toString()).containsOnly("Ok");
                return;
            }
        }
        throw new AssertionError("batch " + batchId + " did not finish within 3 minutes");
    }

    private static JsonNode invoiceOf(ScriptedGolemJsRequestor js, String agreementId, String after) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode event : js.events("/payment-api/v1/invoiceEvents", after, 5)) {
                JsonNode invoice = api.get("/payment-api/v1/invoices/" + event.get("invoiceId").asText()).json();
                if (invoice.get("agreementId").asText().equals(agreementId)) {
                    return invoice;
                }
            }
        }
        throw new AssertionError("no invoice for agreement " + agreementId);
    }
}
