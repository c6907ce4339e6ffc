package dev.golemsandbox.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/**
 * Finds out whether the client of a held request has closed its connection. Jetty does not watch
 * a connection while a request waits asynchronously, and a write to a closed socket "succeeds",
 * so without asking the connection a held poll would answer a client that is gone.
 *
 * <pre>{@code
 * HangupProbe probe = HangupProbe.of(ctx);
 * if (probe.hungUp()) { ... hand the client nothing ... }
 * }</pre>
 *
 * It reads the connection without blocking: end of stream (or a reset) means the client has gone.
 * Bytes a client sends meanwhile (a pipelined request) go back to Jetty's request buffer, to be
 * parsed after this answer. Only an HTTP/1 request whose body has been read is probed (on HTTP/2
 * the connection is shared, and unread body bytes are not the probe's); any other never reports a
 * hangup. Legal while the request is held, never after its answer has begun. Thread-safe.
 */
public final class HangupProbe {

    private final EndPoint endPoint;
    private final Connection.UpgradeTo unread;
    private boolean hungUp;

    private HangupProbe(EndPoint endPoint, Connection.UpgradeTo unread) {
        this.endPoint = endPoint;
        this.unread = unread;
    }

    /** The probe of the connection that carries {@code ctx}'s request. */
    public static HangupProbe of(Context ctx) {
        Request request = ServletContextRequest.getServletContextRequest(ctx.req());
        boolean bodyRead = ctx.req().getContentLengthLong() <= 0 && ctx.header("Transfer-Encoding") == null;
        if (request == null || !bodyRead) {
            return new HangupProbe(null, null);
        }
        HttpVersion version = request.getConnectionMetaData().getHttpVersion();
        Connection connection = request.getConnectionMetaData().getConnection();
        if ((version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) || !(connection instanceof Connection.UpgradeTo to)) {
            return new HangupProbe(null, null);
        }
        return new HangupProbe(connection.getEndPoint(), to);
    }

    /** True once the client has closed (or reset) its connection; once true, always true. */
    public synchronized boolean hungUp() {
        if (hungUp || endPoint == null) {
            return hungUp;
        }
        if (!endPoint.isOpen() || endPoint.isInputShutdown()) {
            hungUp = true;
            return true;
        }
        ByteBuffer sent = ByteBuffer.allocate(4096);
        sent.flip();
        try {
            int read = endPoint.fill(sent);
            if (read < 0) {
                hungUp = true;
            } else if (read > 0) {
                unread.onUpgradeTo(sent);
            }
        } catch (IOException reset) {
            hungUp = true;
        }
        return hungUp;
    }
}
