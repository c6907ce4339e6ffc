package dev.golemsandbox.gsb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.http.ApiComponent;
import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.json.JsonMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * yagna's GSB API ({@code /gsb-api/v1}) as golem-js's WebSocket storage uses it: bind a service
 * ({@code POST /services}), answer its requests over the WebSocket {@code /services/{id}}
 * (subprotocol {@code gsb+flexbuffers}, app key in {@code ?authToken=}), unbind it
 * ({@code DELETE /services/{id}}). The REST calls rely on the server's Bearer check; the
 * WebSocket checks its token itself, as browsers cannot send headers on an upgrade.
 *
 * <pre>{@code
 * GsbServices services = new GsbServices();
 * GsbApi api = new GsbApi(services, appKeys::isValid);
 * Javalin.create(config -> api.addRoutes(config));
 * }</pre>
 */
public final class GsbApi implements ApiComponent {

    public static final String PREFIX = "/gsb-api/v1";
    public static final String SUBPROTOCOL = "gsb+flexbuffers";

    /** The components of gftp, the only GSB services a provider calls on a requestor. */
    private static final Set<String> GFTP_COMPONENTS = Set.of("GetMetadata", "GetChunk", "UploadChunk", "UploadFinished");
    /** Biggest frame accepted: a chunk reply with room to spare (clients may send more than asked). */
    private static final long MAX_FRAME_BYTES = 64L << 20;
    /** A bound socket may sit idle while the batch before its transfer runs. */
    private static final Duration SOCKET_IDLE_TIMEOUT = Duration.ofHours(1);

    private final GsbServices services;
    private final Predicate<String> appKeyValid;
    private final ObjectMapper json = Json.mapper();
    private final Map<String, GsbConnection> sockets = new ConcurrentHashMap<>();

    /**
     * @param services    the bound services, shared with {@link GftpOverGsb}
     * @param appKeyValid whether a WebSocket's {@code authToken} is a valid app key
     */
    public GsbApi(GsbServices services, Predicate<String> appKeyValid) {
        this.services = services;
        this.appKeyValid = appKeyValid;
    }

    @Override
    public String name() {
        return "gsb";
    }

    /** Declares the GSB API's routes and WebSocket on a Javalin config. */
    @Override
    public void addRoutes(JavalinConfig config) {
        config.routes.post(PREFIX + "/services", this::bind);
        config.routes.delete(PREFIX + "/services/{servicesId}", this::unbind);
        config.routes.wsBeforeUpgrade(PREFIX + "/services/{servicesId}", this::checkUpgrade);
        config.routes.ws(PREFIX + "/services/{servicesId}", this::socket);
    }

    /** {@code {"listen":{"on":"/public/gftp/<uuid>","components":[..]}}} -> 201 {@code {"listen":{..},"servicesId":..}}. */
    private void bind(Context ctx) {
        JsonNode listen = body(ctx).get("listen");
        if (listen == null || !listen.isObject()) {
            throw new ApiException.BadRequest("the body must be {\"listen\":{\"on\":\"/public/gftp/<id>\","
                    + "\"components\":[\"GetMetadata\",\"GetChunk\"]}}");
        }
        JsonNode on = listen.get("on");
        if (on == null || !on.isTextual() || !on.asText().startsWith("/") || on.asText().length() < 2) {
            throw new ApiException.BadRequest("listen.on must be a GSB address such as \"/public/gftp/<id>\"");
        }
        JsonNode componentsNode = listen.get("components");
        if (componentsNode == null || !componentsNode.isArray() || componentsNode.isEmpty()) {
            throw new ApiException.BadRequest("listen.components must name the components to answer, e.g."
                    + " [\"GetMetadata\",\"GetChunk\"] or [\"UploadChunk\",\"UploadFinished\"]");
        }
        List<String> components = new ArrayList<>();
        for (JsonNode component : componentsNode) {
            if (!component.isTextual() || !GFTP_COMPONENTS.contains(component.asText())) {
                throw new ApiException.BadRequest("listen.components has " + component + "; the sandbox's providers call"
                        + " only the gftp components " + List.of("GetMetadata", "GetChunk", "UploadChunk",
                        "UploadFinished"));
            }
            components.add(component.asText());
        }
        GsbService service = services.bind(on.asText(), components);
        ObjectNode answer = json.createObjectNode();
        ObjectNode echoed = answer.putObject("listen");
        echoed.put("on", service.address());
        echoed.set("components", json.valueToTree(service.components()));
        answer.put("servicesId", service.id());
        ctx.status(201).header("Location", PREFIX + "/services/" + service.id())
                .contentType("application/json").result(answer.toString());
    }

    /** {@code DELETE /services/{id}} -> 204: no body, which clients would try to parse as JSON. */
    private void unbind(Context ctx) {
        services.unbind(ctx.pathParam("servicesId"));
        ctx.status(204);
    }

    /** Before the upgrade: the app key must be valid and the service bound. */
    private void checkUpgrade(Context ctx) {
        String token = ctx.queryParam("authToken");
        String authorization = ctx.header("Authorization");
        if ((token == null || token.isBlank()) && authorization != null && authorization.startsWith("Bearer ")) {
            token = authorization.substring("Bearer ".length()).trim();
        }
        if (token == null || token.isBlank() || !appKeyValid.test(token)) {
            throw new ApiException.Unauthorized("the GSB WebSocket needs a valid app key in ?authToken=<key>");
        }
        String id = ctx.pathParam("servicesId");
        if (services.byId(id).isEmpty()) {
            throw new ApiException.NotFound("GSB service " + id + " not found (bind it with POST " + PREFIX + "/services)");
        }
    }

    private void socket(WsConfig ws) {
        ws.onConnect(ctx -> {
            GsbService service = services.byId(ctx.pathParam("servicesId")).orElse(null);
            if (service == null) {
                ctx.closeSession(1008, "GSB service not found");
                return;
            }
            ctx.session.setMaxBinaryMessageSize(MAX_FRAME_BYTES);
            ctx.session.setMaxFrameSize(MAX_FRAME_BYTES);
            ctx.session.setIdleTimeout(SOCKET_IDLE_TIMEOUT);
            GsbConnection connection = new GsbConnection(ctx.session, service.address());
            sockets.put(ctx.sessionId(), connection);
            service.attach(connection);
        });
        ws.onBinaryMessage(ctx -> {
            GsbConnection connection = sockets.get(ctx.sessionId());
            if (connection != null) {
                connection.received(ctx.data());
            }
        });
        ws.onClose(ctx -> disconnected(ctx, "the requestor closed the GSB WebSocket ("
                + ctx.status() + (ctx.reason() == null ? "" : " " + ctx.reason()) + ")"));
        ws.onError(ctx -> disconnected(ctx, "the GSB WebSocket failed: "
                + (ctx.error() == null ? "unknown error" : ctx.error().getMessage())));
    }

    private void disconnected(WsContext ctx, String why) {
        GsbConnection connection = sockets.remove(ctx.sessionId());
        if (connection != null) {
            connection.closed(why);
            services.byId(ctx.pathParam("servicesId")).ifPresent(service -> service.detach(connection));
        }
    }

    private JsonNode body(Context ctx) {
        try {
            JsonNode body = JsonMapper.readTree(ctx.body());
            if (body == null || !body.isObject()) {
                throw new ApiException.BadRequest("the body must be a JSON object {\"listen\":{...}}");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new ApiException.BadRequest("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
