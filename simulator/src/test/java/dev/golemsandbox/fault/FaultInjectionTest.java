package dev.golemsandbox.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.CommandResult;
import dev.golemsandbox.client.GolemRequestor;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.client.YagnaApiException;
import dev.golemsandbox.sandbox.Sandbox;
import dev.golemsandbox.testing.Await;
import dev.golemsandbox.testing.RealSandbox;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults asked for through {@code /_sandbox/faults}, met by the Java requestor on a real sandbox
 * whose activities run in QEMU VMs: each failure reaches the requestor where a provider's would.
 */
class FaultInjectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;

    static RealSandbox real;
    static Sandbox sandbox;
    static GolemRequestor requestor;

    @BeforeAll
    static void start() throws Exception {
        real = RealSandbox.start(home);
        sandbox = real.sandbox();
        requestor = real.requestor();
    }

    @AfterAll
    static void stop() {
        if (real != null) {
            real.close();
        }
    }

    @AfterEach
    void removeFaults() throws Exception {
        for (JsonNode fault : call("GET", "/_sandbox/faults", null).body) {
            call("DELETE", "/_sandbox/faults/" + fault.get("id").asText(), null);
        }
    }

    @Test
    void crashVmAtACommandFailsItAndTerminatesTheActivityButNotTheAgreement() throws Exception {
        Answer added = call("POST", "/_sandbox/faults", "{\"fault\":\"crash-vm\",\"atCommand\":\"run\",\"times\":1}");
        assertThat(added.status).as(added.body.toString()).isEqualTo(201);
        String id = added.body.get("id").asText();

        try (Rental rental = requestor.rent(RentalSpec.imageTag("golem/alpine:latest"))) {
            try (Activity crashed = rental.newActivity()) {
                crashed.deployAndStart();
                CommandResult result = crashed.shell("echo never");
                assertThat(result.ok()).isFalse();
                assertThat(result.message()).contains("the VM crashed at command 0 (run)");
                Await.until("the activity is Terminated", () -> crashed.state().equals("Terminated"));
                JsonNode state = call("GET", "/activity-api/v1/activity/" + crashed.id() + "/state", null).body;
                assertThat(state.get("errorMessage").asText()).contains("the VM crashed at command 0 (run)");
                assertThat(call("GET", "/_sandbox/activities/" + crashed.id(), null).body.get("error").asText()).contains("crashed");
            }
            try (Activity next = rental.newActivity()) {
                next.deployAndStart();
                assertThat(next.shell("echo alive").stdout()).isEqualTo("alive\n");
            }
        }
        JsonNode listed = call("GET", "/_sandbox/faults", null).body;
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").asText()).isEqualTo(id);
        assertThat(listed.get(0).get("fired").asInt()).isEqualTo(1);
    }

    @Test
    void crashVmAfterSecondsEndsAnIdleActivity() throws Exception {
        call("POST", "/_sandbox/faults", "{\"fault\":\"crash-vm\",\"afterSeconds\":1,\"times\":1}");
        try (Rental rental = requestor.rent(RentalSpec.imageTag("golem/alpine:latest"));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();
            Await.until("the VM crashed on its own", () -> activity.state().equals("Terminated"));
            assertThat(activity.shell("echo late").ok()).isFalse();
        }
    }

    @Test
    void slowExecDelaysEachCommandByTheLatencyAsked() throws Exception {
        try (Rental rental = requestor.rent(RentalSpec.imageTag("golem/alpine:latest"));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();
            call("POST", "/_sandbox/faults", "{\"fault\":\"slow-exec\",\"latencyMs\":1500,\"activity\":\"" + activity.id() + "\"}");
            Instant before = Instant.now();
            assertThat(activity.shell("echo slow").stdout()).isEqualTo("slow\n");
            assertThat(Duration.between(before, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        }
    }

    @Test
    void rejectProposalsReachesTheRequestorAsTheProvidersRejection() throws Exception {
        call("POST", "/_sandbox/faults", "{\"fault\":\"reject-proposals\",\"reason\":\"closed for maintenance\"}");
        assertThatThrownBy(() -> requestor.rent(RentalSpec.imageTag("golem/alpine:latest").withNegotiationTimeout(Duration.ofSeconds(5))))
                .isInstanceOf(YagnaApiException.class).hasMessageContaining("no provider agreed");
        assertThat(call("GET", "/_sandbox/faults", null).body.get(0).get("fired").asInt()).isPositive();
    }

    @Test
    void terminateEndsTheAgreementWithTheProvidersReason() throws Exception {
        call("POST", "/_sandbox/faults", "{\"fault\":\"terminate\",\"afterSeconds\":1,\"reason\":\"provider going offline\",\"times\":1}");
        try (Rental rental = requestor.rent(RentalSpec.imageTag("golem/alpine:latest"))) {
            Await.until("the provider terminated the agreement",
                    () -> call("GET", "/market-api/v1/agreements/" + rental.agreementId(), null).body.get("state").asText().equals("Terminated"));
            JsonNode events = call("GET", "/market-api/v1/agreementEvents?timeout=1&afterTimestamp=1970-01-01T00:00:00Z", null).body;
            List<String> reasons = new ArrayList<>();
            for (JsonNode event : events) {
                if (event.path("agreementId").asText().equals(rental.agreementId()) && event.has("reason")) {
                    reasons.add(event.get("reason").toString());
                }
            }
            assertThat(reasons).anySatisfy(reason -> assertThat(reason).contains("provider going offline"));
        }
    }

    @Test
    void dropStreamCutsTheResultStreamBeforeTheBatchEnds() throws Exception {
        try (Rental rental = requestor.rent(RentalSpec.imageTag("golem/alpine:latest"));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();
            call("POST", "/_sandbox/faults", "{\"fault\":\"drop-stream\",\"times\":1}");
            String batch = call("POST", "/activity-api/v1/activity/" + activity.id() + "/exec",
                    "{\"text\":\"[{\\\"run\\\":{\\\"entry_point\\\":\\\"/bin/sh\\\",\\\"args\\\":[\\\"-c\\\",\\\"echo a; sleep 2; echo b\\\"]}}]\"}")
                    .body.asText();
            HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(sandbox.baseUrl() + "/activity-api/v1/activity/" + activity.id() + "/exec/" + batch))
                    .header("Authorization", "Bearer " + sandbox.appKey()).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            List<String> lines = new ArrayList<>();
            boolean cut = false;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                cut = true;
            }
            assertThat(String.join("\n", lines)).as("the stream's events").contains("started").doesNotContain("finished");
            assertThat(cut || !lines.isEmpty()).isTrue();
            // The batch itself runs on; only the stream was cut.
            assertThat(activity.await(batch, Duration.ofMinutes(2)).get(0).ok()).isTrue();
        }
    }

    @Test
    void noInvoiceWithholdsTheInvoiceOfTheAgreementItFiresFor() throws Exception {
        call("POST", "/_sandbox/faults", "{\"fault\":\"no-invoice\",\"times\":1}");
        String withheld = rentRunAndEnd();
        String invoiced = rentRunAndEnd();
        Await.until("the second agreement's invoice arrived", () -> invoicesOf(invoiced) == 1);
        assertThat(invoicesOf(withheld)).as("invoices of the agreement the fault fired for").isZero();
    }

    @Test
    void debitNoteStormSendsADebitNoteEverySecond() throws Exception {
        call("POST", "/_sandbox/faults", "{\"fault\":\"debit-note-storm\",\"times\":1}");
        try (Rental rental = requestor.rent(RentalSpec.imageTag("golem/alpine:latest"));
             Activity activity = rental.newActivity()) {
            activity.deployAndStart();
            Await.until("three debit notes", () -> documentsOf("/payment-api/v1/debitNotes", rental.agreementId()) >= 3);
        }
    }

    private static String rentRunAndEnd() {
        try (Rental rental = requestor.rent(RentalSpec.imageTag("golem/alpine:latest"))) {
            try (Activity activity = rental.newActivity()) {
                activity.deployAndStart();
            }
            return rental.agreementId();
        }
    }

    private static int invoicesOf(String agreementId) {
        return documentsOf("/payment-api/v1/invoices", agreementId);
    }

    private static int documentsOf(String path, String agreementId) {
        int count = 0;
        for (JsonNode document : call("GET", path, null).body) {
            if (document.path("agreementId").asText().equals(agreementId)) {
                count++;
            }
        }
        return count;
    }

    @Test
    void badFaultsAreRefusedWithTheReason() throws Exception {
        assertThat(call("POST", "/_sandbox/faults", "{\"fault\":\"meteor\"}").message()).contains("unknown fault \"meteor\"");
        assertThat(call("POST", "/_sandbox/faults", "{\"fault\":\"crash-vm\"}").message()).contains("needs atCommand");
        assertThat(call("POST", "/_sandbox/faults", "{\"fault\":\"slow-exec\",\"latencyMs\":-1}").message()).contains("latencyMs");
        assertThat(call("POST", "/_sandbox/faults", "{\"fault\":\"terminate\",\"provider\":\"nobody\"}").message()).contains("no provider named \"nobody\"");
        assertThat(call("POST", "/_sandbox/faults", "{\"fault\":\"no-approval\",\"latencyMs\":5}").message()).contains("takes no \"latencyMs\"");
        assertThat(call("DELETE", "/_sandbox/faults/none", null).status).isEqualTo(404);
        assertThat(call("GET", "/_sandbox/faults", null).body).isEmpty();
    }

    private record Answer(int status, JsonNode body) {
        String message() {
            assertThat(status).as(body.toString()).isEqualTo(400);
            return body.get("message").asText();
        }
    }

    private static Answer call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .header("Authorization", "Bearer " + sandbox.appKey()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(answer.statusCode(), answer.body().isBlank() ? JSON.nullNode() : JSON.readTree(answer.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
