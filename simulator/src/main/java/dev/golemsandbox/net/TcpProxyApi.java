package dev.golemsandbox.net;

import dev.golemsandbox.http.ApiComponent;
import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.Ids;
import dev.golemsandbox.http.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * yagna's TCP proxy: {@code ws://<api>/net-api/v1/net/{networkId}/tcp/{ip}/{port}} (and the v2
 * mirror) carries one TCP connection from the requestor's node to {@code ip:port} in the VPN,
 * its bytes as binary WebSocket frames both ways. As in yagna, the connection is made before the
 * upgrade, so a closed port or an unknown node is an HTTP error instead of 101, and 504 when the
 * node does not answer in time; a close on either side ends the other.
 */
public final class TcpProxyApi implements ApiComponent {

    /** yagna's connect timeout (ya-relay-stack's, the newer and longer one). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(8);
    /** A connection made for an upgrade that never completed is dropped after this. */
    private static final Duration UNCLAIMED = Duration.ofSeconds(15);
    private static final String CONNECTION = "golem-sandbox.tcp-connection";

    private final Networks networks;
    private final FrameRouter router;
    private final Predicate<String> appKeyValid;
    private final Map<String, TcpConnection> unclaimed = new ConcurrentHashMap<>();

    public TcpProxyApi(Networks networks, FrameRouter router, Predicate<String> appKeyValid) {
        this.networks = networks;
        this.router = router;
        this.appKeyValid = appKeyValid;
    }

    @Override
    public String name() {
        return "tcp-proxy";
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        for (String prefix : NetApi.PREFIXES) {
            String path = prefix + "/net/{networkId}/tcp/{ip}/{port}";
            config.routes.wsBeforeUpgrade(path, this::connect);
            config.routes.ws(path, this::socket);
            config.routes.get(prefix + "/net/{networkId}/tcp", this::connections);
        }
    }

    /** The requestor's open proxy connections in the network, as yagna lists them. */
    private void connections(Context ctx) {
        VpnNetwork network = networks.find(ctx.pathParam("networkId"));
        if (network == null) {
            throw new ApiException.NotFound("network " + ctx.pathParam("networkId") + " not found");
        }
        Ipv4 local = network.requestorAddresses().get(0);
        Json.ok(ctx, router.requestorNode(network).connections().stream().map(c -> Map.of("protocol", PacketBuilder.PROTO_TCP,
                "localIp", local.toString(), "localPort", c.localPort(), "remoteIp", c.remoteIp().toString(),
                "remotePort", c.remotePort())).toList());
    }

    /** Before the upgrade: the key, the network, the node, then the TCP connection itself. */
    private void connect(Context ctx) {
        String token = ctx.queryParam("authToken");
        String authorization = ctx.header("Authorization");
        if ((token == null || token.isBlank()) && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = authorization.substring(7).trim();
        }
        if (token == null || token.isBlank() || !appKeyValid.test(token)) {
            throw new ApiException.Unauthorized("the TCP proxy needs the app key: the header 'Authorization: Bearer <app key>'"
                    + " or ?authToken=<app key>");
        }
        String networkId = ctx.pathParam("networkId");
        VpnNetwork network = networks.find(networkId);
        if (network == null) {
            throw new ApiException.NotFound("network " + networkId + " not found");
        }
        Ipv4 ip;
        try {
            ip = Ipv4.parse(ctx.pathParam("ip"));
        } catch (IllegalArgumentException e) {
            throw new ApiException.BadRequest(e.getMessage());
        }
        String portText = ctx.pathParam("port");
        int port = portText.matches("\\d{1,5}") ? Integer.parseInt(portText) : 0;
        if (port < 1 || port > 65535) {
            throw new ApiException.BadRequest("port '" + portText + "' is not a TCP port (1 to 65535)");
        }
        if (network.nodeAt(ip).isEmpty() || network.requestorAddresses().contains(ip)) {
            throw new ApiException.NotFound("no provider node at " + ip + " in network " + networkId);
        }
        TcpConnection connection;
        try {
            connection = router.requestorNode(network).connect(ip, port)
                    .get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new GatewayTimeout("connecting to " + ip + ":" + port + " in network " + networkId + " timed out after "
                    + CONNECT_TIMEOUT.toSeconds() + " s (is the VM running?)");
        } catch (ExecutionException e) {
            throw new ApiException.BadRequest("cannot connect to " + ip + ":" + port + " in network " + networkId + ": "
                    + e.getCause().getMessage() + " (does anything listen on that port in the VM?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException.BadRequest("interrupted while connecting");
        }
        String key = Ids.hex(16);
        unclaimed.put(key, connection);
        ctx.attribute(CONNECTION, key);
        router.timer().schedule(() -> {
            TcpConnection left = unclaimed.remove(key);
            if (left != null) {
                left.reset("the WebSocket upgrade never completed");
            }
        }, UNCLAIMED.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void socket(WsConfig ws) {
        ws.onConnect(ctx -> {
            String key = ctx.attribute(CONNECTION);
            TcpConnection connection = key == null ? null : unclaimed.remove(key);
            if (connection == null) {
                ctx.closeSession(1011, "the TCP connection is gone");
                return;
            }
            ctx.session.setMaxBinaryMessageSize(16 << 20);
            ctx.session.setMaxTextMessageSize(16 << 20);
            ProxySocket socket = new ProxySocket(ctx, connection);
            ctx.attribute(CONNECTION, socket);
            connection.listen(socket);
        });
        ws.onBinaryMessage(ctx -> {
            ByteBuffer data = ctx.data().duplicate();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            toPeer(ctx, bytes);
        });
        ws.onMessage(ctx -> toPeer(ctx, ctx.message().getBytes(StandardCharsets.UTF_8)));
        ws.onClose(ctx -> {
            if (ctx.attribute(CONNECTION) instanceof ProxySocket socket) {
                socket.connection().close();
            }
        });
        ws.onError(ctx -> {
            if (ctx.attribute(CONNECTION) instanceof ProxySocket socket) {
                socket.connection().reset("the WebSocket failed");
            }
        });
    }

    private static void toPeer(WsContext ctx, byte[] bytes) {
        if (ctx.attribute(CONNECTION) instanceof ProxySocket socket && !socket.connection().write(bytes)) {
            ctx.closeSession(1011, "the VM does not take the data (connection closed, or "
                    + (TcpConnection.MAX_UNSENT >> 20) + " MiB waiting)");
        }
    }

    @Override
    public void close() {
        unclaimed.values().forEach(c -> c.reset("the sandbox stopped"));
    }

    /** 504: the node did not answer the connection in time, as yagna answers it. */
    static final class GatewayTimeout extends ApiException {
        GatewayTimeout(String message) {
            super(504, message);
        }
    }

    /** The WebSocket side of one connection: bytes from the VM go out in order, one send at a time. */
    private static final class ProxySocket implements TcpConnection.Listener {
        private final WsContext ctx;
        private final TcpConnection connection;
        private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
        private boolean sending;
        private boolean closing;

        ProxySocket(WsContext ctx, TcpConnection connection) {
            this.ctx = ctx;
            this.connection = connection;
        }

        TcpConnection connection() {
            return connection;
        }

        @Override
        public void data(byte[] bytes) {
            synchronized (this) {
                queue.add(ByteBuffer.wrap(bytes));
            }
            next();
        }

        @Override
        public void closed(String why) {
            synchronized (this) {
                closing = true;
            }
            next();
        }

        private void next() {
            ByteBuffer buffer;
            synchronized (this) {
                if (sending) {
                    return;
                }
                buffer = queue.poll();
                if (buffer == null) {
                    if (closing && ctx.session.isOpen()) {
                        closing = false;
                        ctx.closeSession(1000, "the connection was closed");
                    }
                    return;
                }
                sending = true;
            }
            int length = buffer.remaining();
            ctx.session.sendBinary(buffer, Callback.from(() -> {
                synchronized (this) {
                    sending = false;
                }
                connection.consumed(length);
                next();
            }, error -> connection.reset("cannot send to the WebSocket: " + error.getMessage())));
        }
    }
}
