package dev.golemsandbox.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * A small Java requestor for the yagna REST API: rents a provider, runs ExeScript batches on its
 * activities, moves files in and out. Made for tests against golem-sandbox; it speaks only the
 * public yagna API, so it works against any daemon that serves it.
 *
 * <pre>{@code
 * try (GolemRequestor requestor = GolemRequestor.connect(URI.create("http://127.0.0.1:7465"), appKey);
 *      Rental rental = requestor.rent(RentalSpec.imageTag("sandbox/busybox:latest"));
 *      Activity activity = rental.newActivity()) {
 *     activity.deployAndStart();
 *     String out = activity.shell("echo hi").stdout();
 * }
 * }</pre>
 */
public final class GolemRequestor implements AutoCloseable {

    private static final Duration EVENT_POLL = Duration.ofSeconds(2);

    private final YagnaHttp http;
    private final URI registryUrl;
    private final String identity;
    private TransferServer transfers;

    private GolemRequestor(YagnaHttp http, URI registryUrl) {
        this.http = http;
        this.registryUrl = registryUrl;
        this.identity = http.get("/me").path("identity").asText();
    }

    /** Connects to a daemon whose image registry is served at the same URL (as the sandbox does). */
    public static GolemRequestor connect(URI apiUrl, String appKey) {
        return connect(apiUrl, appKey, apiUrl);
    }

    /** Connects and checks the app key by asking who we are. */
    public static GolemRequestor connect(URI apiUrl, String appKey, URI registryUrl) {
        return new GolemRequestor(new YagnaHttp(stripSlash(apiUrl), appKey), stripSlash(registryUrl));
    }

    /** The daemon's API URL this requestor talks to. */
    public URI apiUrl() {
        return http.apiUrl();
    }

    /** The app key it talks with, for a connection of the caller's own (e.g. a GSB WebSocket). */
    public String appKey() {
        return http.appKey();
    }

    /** The requestor's node id (0x...). */
    public String identity() {
        return identity;
    }

    /**
     * Publishes a demand for {@code spec}, counters the first matching provider's offer, and signs
     * the agreement it answers with.
     *
     * @throws YagnaApiException when no provider agrees within the spec's negotiation timeout
     */
    public Rental rent(RentalSpec spec) {
        ObjectNode demand = demand(spec);
        String demandId = http.post("/market-api/v1/demands", demand).asText();
        try {
            Instant deadline = Instant.now().plus(spec.negotiationTimeout());
            Set<String> counters = new HashSet<>();
            while (Instant.now().isBefore(deadline)) {
                JsonNode events = http.poll("/market-api/v1/demands/" + demandId + "/events?timeout="
                        + EVENT_POLL.toSeconds() + "&maxEvents=10", EVENT_POLL);
                for (JsonNode event : events) {
                    JsonNode proposal = event.path("proposal");
                    if (!"ProposalEvent".equals(event.path("eventType").asText())) {
                        continue;
                    }
                    String proposalId = proposal.path("proposalId").asText();
                    String state = proposal.path("state").asText();
                    if ("Initial".equals(state)) {
                        counters.add(http.post("/market-api/v1/demands/" + demandId + "/proposals/" + proposalId, demand).asText());
                    } else if ("Draft".equals(state) && counters.contains(proposal.path("prevProposalId").asText())) {
                        return sign(proposalId, proposal);
                    }
                }
            }
            throw new YagnaApiException("rent " + describe(spec), 0, "no provider agreed within "
                    + spec.negotiationTimeout().toSeconds() + " s" + nearMisses(demandId));
        } finally {
            try {
                http.delete("/market-api/v1/demands/" + demandId);
            } catch (YagnaApiException ignored) {
                // The demand may already be gone; the rental does not depend on it.
            }
        }
    }

    /**
     * Why each provider did not agree, as golem-sandbox explains it (a real daemon has no such
     * endpoint: then nothing is added).
     */
    private String nearMisses(String demandId) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(http.apiUrl() + "/_sandbox/market/demands/" + demandId + "/explain"))
                            .header("Authorization", "Bearer " + http.appKey())
                            .timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return "";
            }
            StringBuilder why = new StringBuilder();
            for (JsonNode provider : YagnaHttp.JSON.readTree(response.body()).path("providers")) {
                why.append("\n  ").append(provider.path("provider").asText()).append(": ").append(provider.path("summary").asText());
            }
            return why.length() == 0 ? "" : "; the providers say:" + why;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private Rental sign(String draftId, JsonNode proposal) {
        ObjectNode body = YagnaHttp.JSON.createObjectNode();
        body.put("proposalId", draftId);
        body.put("validTo", Instant.now().plus(Duration.ofHours(1)).toString());
        String agreementId = http.post("/market-api/v1/agreements", body).asText();
        http.post("/market-api/v1/agreements/" + agreementId + "/confirm", null);
        http.post("/market-api/v1/agreements/" + agreementId + "/wait?timeout=30", null, Duration.ofSeconds(30));
        String state = http.get("/market-api/v1/agreements/" + agreementId).path("state").asText();
        if (!"Approved".equals(state)) {
            throw new YagnaApiException("agreement " + agreementId, 0, "provider did not approve (state " + state + ")");
        }
        JsonNode properties = proposal.path("properties");
        return new Rental(this, http, agreementId, text(properties, "golem.node.id.name"), proposal.path("issuerId").asText());
    }

    private ObjectNode demand(RentalSpec spec) {
        ObjectNode properties = YagnaHttp.JSON.createObjectNode();
        properties.put("golem.srv.comp.expiration", Instant.now().plus(Duration.ofHours(1)).toEpochMilli());
        properties.put("golem.srv.comp.task_package", taskPackage(spec));
        properties.put("golem.srv.comp.vm.package_format", "gvmkit-squash");
        properties.put("golem.node.debug.subnet", "public");
        StringBuilder constraints = new StringBuilder("(&(golem.runtime.name=vm)(golem.node.debug.subnet=public)")
                .append("(golem.inf.mem.gib>=").append(spec.minMemGib()).append(')')
                .append("(golem.inf.storage.gib>=").append(spec.minStorageGib()).append(')')
                .append("(golem.inf.cpu.threads>=").append(spec.minThreads()).append(')');
        if (spec.provider() != null) {
            constraints.append("(golem.node.id.name=").append(spec.provider()).append(')');
        }
        constraints.append(')');
        ObjectNode demand = YagnaHttp.JSON.createObjectNode();
        demand.set("properties", properties);
        demand.put("constraints", constraints.toString());
        return demand;
    }

    /** {@code hash:sha3:<hash>:<url>}, asking the registry for what the spec leaves out. */
    private String taskPackage(RentalSpec spec) {
        if (spec.imageHash() != null && spec.imageUrl() != null) {
            return "hash:sha3:" + spec.imageHash() + ":" + spec.imageUrl();
        }
        String query = spec.imageTag() != null
                ? "tag=" + URLEncoder.encode(spec.imageTag(), StandardCharsets.UTF_8)
                : "hash=" + spec.imageHash();
        JsonNode info = registryInfo(query);
        String url = spec.imageUrl() != null ? spec.imageUrl() : info.path("http").asText();
        return "hash:sha3:" + info.path("sha3").asText() + ":" + url;
    }

    private JsonNode registryInfo(String query) {
        URI uri = URI.create(registryUrl + "/v1/image/info?count=true&" + query);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    // Long enough for the first lookup of a stand-in, which builds it (about a minute).
                    HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = YagnaHttp.JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new YagnaApiException("GET " + uri, response.statusCode(), body.path("message").asText(response.body()));
            }
            return body;
        } catch (IOException e) {
            throw new YagnaApiException("GET " + uri, 0, "no answer from the registry: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new YagnaApiException("GET " + uri, 0, "interrupted");
        }
    }

    synchronized TransferServer transfers() {
        if (transfers == null) {
            try {
                transfers = new TransferServer();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open a loopback port for file transfers", e);
            }
        }
        return transfers;
    }

    @Override
    public synchronized void close() {
        if (transfers != null) {
            transfers.close();
        }
    }

    private static String describe(RentalSpec spec) {
        return spec.imageTag() != null ? spec.imageTag() : spec.imageHash();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null ? null : value.asText();
    }

    private static URI stripSlash(URI uri) {
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }
}
