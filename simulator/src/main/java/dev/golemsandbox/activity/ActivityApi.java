package dev.golemsandbox.activity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.HeldRequest;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.json.JsonMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;

/**
 * The requestor's side of yagna's activity API ({@code /activity-api/v1}): create and destroy
 * activities, exec ExeScript batches, long-poll or stream their results, read state, usage and
 * agreement. Only parses requests and renders answers; {@link ActivityService} does the work.
 * Errors are thrown as {@link dev.golemsandbox.http.ApiException}s for the server's single error
 * mapping to render as {@code {"message": ...}}.
 *
 * <pre>{@code
 * ActivityApi api = new ActivityApi(activityService);
 * Javalin.create(config -> api.addRoutes(config));
 * }</pre>
 */
public final class ActivityApi {

    public static final String PREFIX = "/activity-api/v1";

    /** A provider's default long-poll wait, in seconds, when the request names none. */
    private static final double DEFAULT_POLL_SECONDS = 5.0;
    private static final double MAX_POLL_SECONDS = 3600.0;

    private final ActivityService service;
    private final Duration pingInterval;
    private final ObjectMapper json = Json.mapper();

    public ActivityApi(ActivityService service) {
        this(service, Duration.ofSeconds(15));
    }

    /** With a custom interval between {@code :ping} comments of event streams. */
    public ActivityApi(ActivityService service, Duration pingInterval) {
        this.service = service;
        this.pingInterval = pingInterval;
    }

    /** Declares the activity API's routes on a Javalin config. */
    public void addRoutes(JavalinConfig config) {
        config.routes.post(PREFIX + "/activity", this::create);
        config.routes.delete(PREFIX + "/activity/{activityId}", this::destroy);
        config.routes.get(PREFIX + "/activity/{activityId}/state", this::state);
        config.routes.get(PREFIX + "/activity/{activityId}/usage", this::usage);
        config.routes.get(PREFIX + "/activity/{activityId}/agreement", this::agreement);
        config.routes.post(PREFIX + "/activity/{activityId}/exec", this::exec);
        config.routes.get(PREFIX + "/activity/{activityId}/exec/{batchId}", this::results);
    }

    /** {@code POST /activity} {@code {"agreementId":..}} (or the id as a JSON string) -> 201 {@code {"activityId":..}}. */
    private void create(Context ctx) {
        JsonNode body = body(ctx, "{\"agreementId\":\"<id>\"}");
        JsonNode agreementId = body.isTextual() ? body : body.get("agreementId");
        if (agreementId == null || !agreementId.isTextual() || agreementId.asText().isBlank()) {
            throw new ApiException.BadRequest("the body must be {\"agreementId\":\"<id of an approved agreement>\"}");
        }
        String activityId = service.create(agreementId.asText());
        ObjectNode created = json.createObjectNode().put("activityId", activityId);
        ctx.status(201);
        respond(ctx, created);
    }

    /** {@code DELETE /activity/{id}} -> 204: no body, which clients would try to parse as JSON. */
    private void destroy(Context ctx) {
        service.destroy(ctx.pathParam("activityId"));
        ctx.status(204);
    }

    private void state(Context ctx) {
        respond(ctx, service.state(ctx.pathParam("activityId")).toJson());
    }

    private void usage(Context ctx) {
        String activityId = ctx.pathParam("activityId");
        List<String> vector = service.usageVector(activityId);
        ActivityUsage usage = service.usage(activityId).orElseThrow();
        ObjectNode body = json.createObjectNode();
        ArrayNode counters = body.putArray("currentUsage");
        for (String counter : vector) {
            counters.add(usage.counter(counter));
        }
        body.put("timestamp", usage.measuredAt().getEpochSecond());
        respond(ctx, body);
    }

    private void agreement(Context ctx) {
        respond(ctx, json.getNodeFactory().textNode(service.agreementId(ctx.pathParam("activityId"))));
    }

    /** {@code POST .../exec} {@code {"text":"<ExeScript JSON array>"}} -> the batch id as a JSON string, at once. */
    private void exec(Context ctx) {
        JsonNode body = body(ctx, "{\"text\":\"<ExeScript JSON array as a string>\"}");
        JsonNode text = body.get("text");
        if (text == null || !text.isTextual()) {
            throw new ApiException.BadRequest("the body must be {\"text\":\"<ExeScript JSON array as a string>\"},"
                    + " e.g. {\"text\":\"[{\\\"deploy\\\":{}},{\\\"start\\\":{}}]\"}");
        }
        String batchId = service.exec(ctx.pathParam("activityId"), text.asText());
        respond(ctx, json.getNodeFactory().textNode(batchId));
    }

    /**
     * {@code GET .../exec/{batchId}}: with {@code Accept: text/event-stream} the batch's runtime
     * events; otherwise the results so far, cumulative from index 0, after waiting up to
     * {@code timeout} seconds for the batch (or command {@code commandIndex}) to finish.
     */
    private void results(Context ctx) {
        Batch batch = service.batch(ctx.pathParam("activityId"), ctx.pathParam("batchId"));
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("text/event-stream")) {
            new BatchEventStream(batch, pingInterval, service.streamWriter(), service.dropsStream(ctx.pathParam("activityId"))).serve(ctx);
            return;
        }
        double timeout = timeoutSeconds(ctx.queryParam("timeout"));
        Integer commandIndex = commandIndex(ctx.queryParam("commandIndex"), batch.script().size());
        Duration wait = Duration.ofMillis(Math.round(timeout * 1000));
        ctx.future(() -> HeldRequest.of(ctx).answer(batch.whenDone(commandIndex, wait), ignored -> respond(ctx, batch.results(commandIndex))));
    }

    private static double timeoutSeconds(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_POLL_SECONDS;
        }
        try {
            double seconds = Double.parseDouble(value);
            if (seconds < 0 || Double.isNaN(seconds)) {
                throw new NumberFormatException();
            }
            return Math.min(seconds, MAX_POLL_SECONDS);
        } catch (NumberFormatException e) {
            throw new ApiException.BadRequest("timeout must be a number of seconds, 0 or more; got \"" + value + "\"");
        }
    }

    private static Integer commandIndex(String value, int batchSize) {
        if (value == null || value.isBlank()) {
            return null;
        }
        int index;
        try {
            index = (int) Double.parseDouble(value);
            if (index != Double.parseDouble(value)) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new ApiException.BadRequest("commandIndex must be a whole number; got \"" + value + "\"");
        }
        if (index < 0 || index >= batchSize) {
            throw new ApiException.BadRequest("commandIndex " + index + " is out of range: the batch has "
                    + batchSize + " command" + (batchSize == 1 ? "" : "s"));
        }
        return index;
    }

    private JsonNode body(Context ctx, String expected) {
        String body = ctx.body();
        if (body.isBlank()) {
            throw new ApiException.BadRequest("the request has no body; expected " + expected);
        }
        try {
            return JsonMapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException.BadRequest("the body is not valid JSON (" + e.getOriginalMessage() + "); expected "
                    + expected);
        }
    }

    private void respond(Context ctx, JsonNode body) {
        ctx.contentType("application/json").result(body.toString());
    }
}
