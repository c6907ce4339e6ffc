package dev.golemsandbox.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.sandbox.Sandbox;
import dev.golemsandbox.sandbox.SandboxConfig;
import dev.golemsandbox.testing.TestRuntime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes every route of a real sandbox on loopback with requests derived from the yagna OpenAPI
 * specs ({@code ../shared/reference/ya-client-specs}) and from golem-js's own calls, then mutated:
 * no answer may be a 5xx, none may hang, and the sandbox must be healthy afterwards.
 * {@code -Dfuzz.requests=N} (default 20,000), {@code -Dfuzz.seed=S} and {@code -Dfuzz.exclude=REGEX}
 * (paths to leave out) change the run.
 */
class HttpFuzzTest {

    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 20_000);
    private static final long SEED = Long.getLong("fuzz.seed", 20261201L);
    private static final Duration HANG = Duration.ofSeconds(20);
    private static final int THREADS = 8;

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> liveIds = new CopyOnWriteArrayList<>();

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void noRouteAnswersAServerErrorOrHangsAndTheSandboxStaysHealthy() throws Exception {
        Path specs = specsDirectory();
        List<OpenApiOperations.Operation> operations = new ArrayList<>(OpenApiOperations.load(specs));
        operations.addAll(SandboxRoutes.ALL);
        String exclude = System.getProperty("fuzz.exclude");
        if (exclude != null && !exclude.isBlank()) {
            operations.removeIf(op -> op.path().matches(exclude));
        }
        assertThat(operations).hasSizeGreaterThan(80);

        try (Sandbox sandbox = Sandbox.start(SandboxConfig.defaults(TestRuntime.home(dataDir)).withPort(0), line -> { })) {
            String base = sandbox.baseUrl();
            String key = sandbox.appKey();
            seedLiveObjects(base, key);

            AtomicInteger sent = new AtomicInteger();
            Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
            Set<String> routesHit = ConcurrentHashMap.newKeySet();
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            Instant start = Instant.now();
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            for (int t = 0; t < THREADS; t++) {
                RequestGenerator generator = new RequestGenerator(SEED + t, () -> liveIds);
                threads.execute(() -> {
                    while (sent.incrementAndGet() <= REQUESTS && failures.size() < 20) {
                        OpenApiOperations.Operation op = generator.pick(operations);
                        RequestGenerator.Request request = generator.next(op);
                        routesHit.add(op.method() + " " + op.path());
                        String outcome = send(base, key, request);
                        statuses.computeIfAbsent(outcome.startsWith("io") ? "io" : outcome, k -> new AtomicInteger()).incrementAndGet();
                        if (outcome.startsWith("5") || outcome.equals("hang") || outcome.startsWith("io")) {
                            failures.add(outcome + " " + request.method() + " " + request.path() + " "
                                    + (request.body() == null ? "" : new String(request.body(), StandardCharsets.UTF_8)
                                    .substring(0, Math.min(200, request.body().length))));
                        }
                    }
                });
            }
            threads.shutdown();
            assertThat(threads.awaitTermination(14, TimeUnit.MINUTES)).as("the fuzz run ended in time").isTrue();
            Duration took = Duration.between(start, Instant.now());
            System.out.printf("HTTP fuzz: %d requests over %d routes in %.1f s; answers by status: %s%n",
                    Math.min(sent.get(), REQUESTS), routesHit.size(), took.toMillis() / 1000.0, statuses);

            assertThat(failures).as("requests answered 5xx, hanging past %s, or cut off", HANG).isEmpty();
            assertThat(statuses.values().stream().mapToInt(AtomicInteger::get).sum()).isGreaterThanOrEqualTo(REQUESTS);
            assertThat(get(base, key, "/_sandbox/health").statusCode()).as("healthy afterwards").isEqualTo(200);
            assertThat(get(base, key, "/me").statusCode()).as("still serving requestors afterwards").isEqualTo(200);
        }
    }

    /**
     * One request; its outcome: the status code, "hang" past {@link #HANG}, or "io" for a cut
     * connection. A connection the server closed after an earlier answer may be reused by the
     * client's pool just as it closes; such a request is sent once more on a fresh connection.
     */
    private String send(String base, String key, RequestGenerator.Request request) {
        String outcome = sendOnce(base, key, request);
        return outcome.startsWith("io") ? sendOnce(base, key, request) : outcome;
    }

    private String sendOnce(String base, String key, RequestGenerator.Request request) {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + request.path())).timeout(HANG)
                    .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(request.body()));
            if (!request.contentType().isEmpty() && request.body() != null) {
                builder.header("Content-Type", request.contentType());
            }
            if (request.withKey()) {
                builder.header("Authorization", "Bearer " + key);
            }
            return Integer.toString(http.send(builder.build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IllegalArgumentException malformedUri) {
            return "unsendable";
        } catch (HttpTimeoutException e) {
            return "hang";
        } catch (IOException e) {
            return "io (" + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** An allocation, a demand, its proposals and an agreement, so fuzzed paths often name real objects. */
    private void seedLiveObjects(String base, String key) throws Exception {
        String me = json(get(base, key, "/me")).get("identity").asText();
        ObjectNode allocation = JsonNodeFactory.instance.objectNode().put("totalAmount", "5")
                .put("paymentPlatform", "erc20-holesky-tglm").put("address", me).put("makeDeposit", false);
        String allocationId = json(post(base, key, "/payment-api/v1/allocations", allocation)).get("allocationId").asText();
        liveIds.add(allocationId);
        ObjectNode demand = JsonNodeFactory.instance.objectNode();
        demand.putObject("properties").put("golem.srv.comp.expiration", System.currentTimeMillis() + 3_600_000)
                .put("golem.com.payment.platform.erc20-holesky-tglm.address", me);
        demand.put("constraints", "(&(golem.runtime.name=vm)\n\t(golem.inf.mem.gib>=0.5))");
        String demandId = json(post(base, key, "/market-api/v1/demands", demand)).asText();
        liveIds.add(demandId);
        JsonNode events = json(get(base, key, "/market-api/v1/demands/" + demandId + "/events?timeout=5&maxEvents=5"));
        for (JsonNode event : events) {
            String proposalId = event.at("/proposal/proposalId").asText();
            liveIds.add(proposalId);
            String counter = json(post(base, key, "/market-api/v1/demands/" + demandId + "/proposals/" + proposalId, demand)).asText();
            liveIds.add(counter);
        }
        JsonNode drafts = json(get(base, key, "/market-api/v1/demands/" + demandId + "/events?timeout=5&maxEvents=5"));
        for (JsonNode draft : drafts) {
            String draftId = draft.at("/proposal/proposalId").asText();
            liveIds.add(draftId);
            ObjectNode create = JsonNodeFactory.instance.objectNode().put("proposalId", draftId)
                    .put("validTo", Instant.now().plus(Duration.ofHours(1)).toString());
            HttpResponse<String> agreement = post(base, key, "/market-api/v1/agreements", create);
            if (agreement.statusCode() == 201) {
                liveIds.add(json(agreement).asText());
            }
            break;
        }
    }

    private HttpResponse<String> get(String base, String key, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String base, String key, String path, JsonNode body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return Json.mapper().readTree(response.body());
    }

    /** ../shared/reference/ya-client-specs beside the repository (the simulator module's working directory is in it). */
    static Path specsDirectory() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/reference/ya-client-specs");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("the yagna OpenAPI specs are not beside the repository (../shared/reference/ya-client-specs from "
                + here + "); the fuzz suite derives its requests from them");
    }
}
