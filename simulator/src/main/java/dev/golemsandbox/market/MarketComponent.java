package dev.golemsandbox.market;

import dev.golemsandbox.http.ApiComponent;
import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.HeldRequest;
import dev.golemsandbox.http.IsoTime;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.http.JsonBody;
import dev.golemsandbox.http.LongPoll;
import dev.golemsandbox.identity.NodeId;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP layer of the market: yagna's requestor Market API under {@code /market-api/v1}
 * (demands, agreements, scans of the offers), and the sandbox's market inspection under
 * {@code /_sandbox/market} (providers, demands, open scans, and for each provider why a demand does
 * or does not match it). Handlers only read the request and call {@link Market}.
 */
public final class MarketComponent implements ApiComponent {

    private static final String API = "/market-api/v1";
    private static final String INSPECT = "/_sandbox/market";

    /** A comment this often on a quiet scan stream finds out when its client has gone. */
    private static final Duration PING_INTERVAL = Duration.ofSeconds(15);

    private final Market market;
    private final ExecutorService streamWriter = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "market-scan-stream");
        t.setDaemon(true);
        return t;
    });

    public MarketComponent(Market market) {
        this.market = market;
    }

    @Override
    public void close() {
        streamWriter.shutdownNow();
    }

    @Override
    public String name() {
        return "market";
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        RoutesConfig r = config.routes;
        r.post(API + "/demands", this::subscribe);
        r.get(API + "/demands", ctx -> Json.ok(ctx, market.demands()));
        r.delete(API + "/demands/{demandId}", ctx -> {
            market.unsubscribe(ctx.pathParam("demandId"));
            Json.noContent(ctx);
        });
        r.get(API + "/demands/{demandId}/events", this::proposalEvents);
        r.post(API + "/demands/{demandId}/proposals/{proposalId}", this::counter);
        r.get(API + "/demands/{demandId}/proposals/{proposalId}",
                ctx -> Json.ok(ctx, market.proposal(ctx.pathParam("demandId"), ctx.pathParam("proposalId"))));
        r.post(API + "/demands/{demandId}/proposals/{proposalId}/reject", ctx -> {
            market.reject(ctx.pathParam("demandId"), ctx.pathParam("proposalId"));
            Json.noContent(ctx);
        });
        r.post(API + "/agreements", this::createAgreement);
        r.get(API + "/agreements", this::listAgreements);
        r.get(API + "/agreements/{agreementId}", ctx -> Json.ok(ctx, market.agreement(ctx.pathParam("agreementId"))));
        r.post(API + "/agreements/{agreementId}/confirm", ctx -> {
            market.confirm(ctx.pathParam("agreementId"), blankToNull(ctx.queryParam("appSessionId")));
            Json.noContent(ctx);
        });
        r.post(API + "/agreements/{agreementId}/wait", this::waitForApproval);
        r.post(API + "/agreements/{agreementId}/approve", ctx -> {
            market.approve(ctx.pathParam("agreementId"));
            Json.noContent(ctx);
        });
        r.post(API + "/agreements/{agreementId}/cancel", ctx -> {
            market.cancel(ctx.pathParam("agreementId"), reason(ctx, "Cancelled by the requestor"));
            Json.noContent(ctx);
        });
        r.post(API + "/agreements/{agreementId}/terminate", ctx -> {
            market.terminate(ctx.pathParam("agreementId"), reason(ctx, "Terminated by the requestor"));
            Json.noContent(ctx);
        });
        r.get(API + "/agreementEvents", ctx -> {
            LongPoll poll = LongPoll.of(ctx);
            ctx.future(() -> HeldRequest.of(ctx).answer(market.agreementEvents(poll), list -> Json.ok(ctx, list)));
        });
        r.post(API + "/scan", this::beginScan);
        r.get(API + "/scan/{scanId}/events", this::scanEvents);
        r.delete(API + "/scan/{scanId}", ctx -> {
            market.endScan(ctx.pathParam("scanId"));
            Json.noContent(ctx);
        });
        for (String providerSide : List.of("/offers", "/offers/*")) {
            r.get(API + providerSide, MarketComponent::notSimulated);
            r.post(API + providerSide, MarketComponent::notSimulated);
            r.delete(API + providerSide, MarketComponent::notSimulated);
        }

        r.get(INSPECT + "/providers", ctx -> Json.ok(ctx, market.providers()));
        r.get(INSPECT + "/demands", ctx -> Json.ok(ctx, market.demands()));
        r.get(INSPECT + "/scans", ctx -> Json.ok(ctx, market.scans()));
        r.get(INSPECT + "/demands/{demandId}/explain", ctx -> {
            String demandId = ctx.pathParam("demandId");
            Json.ok(ctx, explanation(demandId, market.explain(demandId)));
        });
        r.post(INSPECT + "/explain", ctx -> {
            JsonBody body = JsonBody.of(ctx);
            Json.ok(ctx, explanation(null, market.explain(body.object("properties"), body.string("constraints"))));
        });
    }

    private void subscribe(Context ctx) {
        JsonBody body = JsonBody.of(ctx);
        Json.created(ctx, market.subscribe(body.object("properties"), body.string("constraints")));
    }

    private void beginScan(Context ctx) {
        JsonBody body = JsonBody.of(ctx);
        String type = body.string("type");
        if (!type.equals("offer")) {
            throw new ApiException.BadRequest("type must be 'offer': a requestor scans the providers' offers; got '" + type + "'");
        }
        Duration timeout = OfferScans.DEFAULT_TIMEOUT;
        if (body.has("timeout") && !body.node().get("timeout").isNull()) {
            JsonNode seconds = body.node().get("timeout");
            if (!seconds.isNumber() || seconds.asDouble() < 1 || seconds.asDouble() > Integer.MAX_VALUE) {
                throw new ApiException.BadRequest("timeout must be a number of seconds from 1 to " + Integer.MAX_VALUE + ", got " + seconds);
            }
            timeout = Duration.ofSeconds(seconds.asLong());
        }
        Json.created(ctx, market.beginScan(body.optionalString("constraints"), timeout));
    }

    /**
     * The offers of a scan: as Server-Sent Events for an EventSource (golem-js), else the spec's JSON
     * long-poll; with {@code peerId}, as yagna does, a JSON list of that node's matching offers at once.
     */
    private void scanEvents(Context ctx) {
        String scanId = ctx.pathParam("scanId");
        String peerId = ctx.queryParam("peerId");
        if (peerId != null) {
            String node = NodeId.normalize(peerId);
            if (!NodeId.isValid(node)) {
                throw new ApiException.BadRequest("peerId must be a node id (0x and 40 hex digits), got '" + peerId + "'");
            }
            Json.ok(ctx, market.scanOffersOf(scanId, node));
            return;
        }
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("text/event-stream")) {
            new ScanEventStream(market.streamScan(scanId), PING_INTERVAL, streamWriter).serve(ctx);
            return;
        }
        LongPoll poll = LongPoll.of(ctx);
        ctx.future(() -> {
            HeldRequest held = HeldRequest.of(ctx);
            return held.answer(market.scanEvents(scanId, poll.maxEvents(), poll.timeout(), held), list -> Json.ok(ctx, list));
        });
    }

    private void proposalEvents(Context ctx) {
        LongPoll poll = LongPoll.of(ctx);
        String demandId = ctx.pathParam("demandId");
        ctx.future(() -> {
            HeldRequest held = HeldRequest.of(ctx);
            return held.answer(market.proposalEvents(demandId, poll.maxEvents(), poll.timeout(), held), list -> Json.ok(ctx, list));
        });
    }

    private void counter(Context ctx) {
        JsonBody body = JsonBody.of(ctx);
        Json.created(ctx, market.counter(ctx.pathParam("demandId"), ctx.pathParam("proposalId"),
                body.object("properties"), body.string("constraints")));
    }

    private void createAgreement(Context ctx) {
        JsonBody body = JsonBody.of(ctx);
        String proposalId = body.string("proposalId");
        Json.created(ctx, market.createAgreement(proposalId, IsoTime.parse("validTo", body.string("validTo"))));
    }

    private void listAgreements(Context ctx) {
        String state = ctx.queryParam("state");
        AgreementState wanted = null;
        if (state != null && !state.isBlank()) {
            try {
                wanted = AgreementState.valueOf(state.trim());
            } catch (IllegalArgumentException e) {
                throw new ApiException.BadRequest("state must be one of " + List.of(AgreementState.values()) + ", got '" + state + "'");
            }
        }
        Json.ok(ctx, market.agreements(blankToNull(ctx.queryParam("appSessionId")), wanted));
    }

    private void waitForApproval(Context ctx) {
        Duration timeout = LongPoll.timeout(ctx, "timeout", Duration.ofSeconds(5));
        CompletableFuture<Void> approved = market.waitForApproval(ctx.pathParam("agreementId"), timeout);
        ctx.future(() -> HeldRequest.of(ctx).answer(approved, ignored -> Json.noContent(ctx)));
    }

    private static Map<String, Object> explanation(String demandId, List<ProviderMatch> providers) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("demandId", demandId);
        answer.put("matchingProviders", providers.stream().filter(ProviderMatch::matches).count());
        answer.put("providers", providers);
        return answer;
    }

    /** The {@code message} of an optional Reason body, or {@code fallback}. */
    private static String reason(Context ctx, String fallback) {
        JsonBody body = JsonBody.ofOptional(ctx);
        String message = body.optionalString("message");
        return message == null ? fallback : message;
    }

    private static void notSimulated(Context ctx) {
        // A requestor's daemon has no offers of its own: 404, as for any resource this node does not hold.
        throw new ApiException.NotFound("the provider side of the Market API (" + ctx.path()
                + ") is not served: golem-sandbox runs its providers itself; /_sandbox/info lists them");
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
