package dev.golemsandbox.net;

import dev.golemsandbox.http.ApiComponent;
import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.http.JsonBody;
import dev.golemsandbox.identity.NodeId;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * yagna's Net API, under {@code /net-api/v1} and its mirror {@code /net-api/v2/vpn}: networks,
 * their nodes and the requestor's addresses. Answers as yagna does: 200 with {@code null} for
 * changes, 404 for an unknown network, 409 for a taken address or id, 400 for anything invalid.
 */
public final class NetApi implements ApiComponent {

    /** The URL prefixes the API is served under. */
    public static final List<String> PREFIXES = List.of("/net-api/v1", "/net-api/v2/vpn");

    private static final Pattern NETWORK_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** A network as the API shows it: {@code ip} in CIDR form. */
    public record NetworkView(String id, String ip, String mask, String gateway) {
        static NetworkView of(VpnNetwork network) {
            return new NetworkView(network.id(), network.range().cidr(), network.range().mask().toString(),
                    network.gateway().toString());
        }
    }

    /** A node of a network. */
    public record NodeView(String id, String ip) {
    }

    /** One of the requestor's addresses. */
    public record AddressView(String ip) {
    }

    private final Networks networks;

    public NetApi(Networks networks) {
        this.networks = networks;
    }

    @Override
    public String name() {
        return "net";
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        for (String prefix : PREFIXES) {
            config.routes.get(prefix + "/net", ctx -> Json.ok(ctx, networks.all().stream().map(NetworkView::of).toList()));
            config.routes.post(prefix + "/net", this::create);
            config.routes.get(prefix + "/net/{networkId}", ctx -> Json.ok(ctx, NetworkView.of(network(ctx))));
            config.routes.delete(prefix + "/net/{networkId}", ctx -> {
                call(() -> networks.remove(ctx.pathParam("networkId")));
                Json.ok(ctx, null);
            });
            config.routes.get(prefix + "/net/{networkId}/addresses", ctx -> Json.ok(ctx,
                    network(ctx).requestorAddresses().stream().map(ip -> new AddressView(ip.toString())).toList()));
            config.routes.post(prefix + "/net/{networkId}/addresses", this::addAddress);
            config.routes.get(prefix + "/net/{networkId}/nodes", ctx -> Json.ok(ctx, nodes(network(ctx))));
            config.routes.post(prefix + "/net/{networkId}/nodes", this::addNode);
            config.routes.delete(prefix + "/net/{networkId}/nodes/{nodeId}", ctx -> {
                call(() -> networks.removeNode(ctx.pathParam("networkId"), NodeId.normalize(ctx.pathParam("nodeId"))));
                Json.ok(ctx, null);
            });
        }
    }

    private void create(Context ctx) {
        JsonBody body = JsonBody.of(ctx);
        String id = body.optionalString("id");
        if (id != null && !NETWORK_ID.matcher(id).matches()) {
            throw new ApiException.BadRequest("network id '" + id + "' is not 1 to 64 letters, digits, '-' or '_'");
        }
        Ipv4Range range = parse(() -> Ipv4Range.parse(body.string("ip"), body.optionalString("mask")));
        String gatewayText = body.optionalString("gateway");
        Ipv4 gateway = gatewayText == null ? null : parse(() -> Ipv4.parse(gatewayText));
        VpnNetwork network = call(() -> networks.create(id, range, gateway));
        Json.ok(ctx, NetworkView.of(network));
    }

    private void addNode(Context ctx) {
        JsonBody body = JsonBody.of(ctx);
        String nodeId = NodeId.normalize(body.string("id"));
        if (!NodeId.isValid(nodeId)) {
            throw new ApiException.BadRequest("node id '" + body.string("id") + "' is not 0x followed by 40 hex digits");
        }
        Ipv4 ip = parse(() -> Ipv4.parse(body.string("ip")));
        call(() -> networks.addNode(ctx.pathParam("networkId"), nodeId, ip));
        Json.ok(ctx, null);
    }

    private void addAddress(Context ctx) {
        JsonBody body = JsonBody.of(ctx);
        Ipv4 ip = parse(() -> Ipv4.parse(body.string("ip")));
        VpnNetwork network = network(ctx);
        call(() -> network.addRequestorAddress(ip));
        Json.ok(ctx, null);
    }

    private VpnNetwork network(Context ctx) {
        return call(() -> networks.get(ctx.pathParam("networkId")));
    }

    private static List<NodeView> nodes(VpnNetwork network) {
        return network.nodes().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new NodeView(e.getValue(), e.getKey().toString())).toList();
    }

    private static <T> T parse(Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new ApiException.BadRequest(e.getMessage());
        }
    }

    private static void call(Runnable change) {
        call(() -> {
            change.run();
            return null;
        });
    }

    /** Runs a store call, turning its refusals into yagna's statuses. */
    private static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (NetworkException.UnknownNetwork e) {
            throw new ApiException.NotFound(e.getMessage());
        } catch (NetworkException.Taken e) {
            throw new ApiException.Conflict(e.getMessage());
        } catch (NetworkException.OutOfRange e) {
            throw new ApiException.BadRequest(e.getMessage());
        }
    }
}
