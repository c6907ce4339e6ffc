package dev.golemsandbox.gftp;

import com.google.flatbuffers.FlexBuffers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ServedFile} bound as a GSB service, reachable at its {@code gftp://<node>/<id>} URL:
 * it answers the sandbox's requests over its WebSocket one by one, in order (the next frame is
 * asked for only once the reply is sent). Closing it unbinds the service, closes the socket and
 * releases the file.
 */
final class BoundFile implements AutoCloseable {

    private final String url;
    private final ServedFile file;
    private final Runnable unbind;
    private volatile WebSocket socket;
    private boolean closed;

    BoundFile(String url, ServedFile file, Runnable unbind) {
        this.url = url;
        this.file = file;
        this.unbind = unbind;
    }

    String url() {
        return url;
    }

    void connected(WebSocket socket) {
        this.socket = socket;
    }

    WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                partial.writeBytes(bytes);
                if (!last) {
                    ws.request(1);
                    return null;
                }
                byte[] frame = partial.toByteArray();
                partial.reset();
                ws.sendBinary(answer(frame), true).whenComplete((sent, error) -> ws.request(1));
                return null;
            }
        };
    }

    private ByteBuffer answer(byte[] frame) {
        GsbRequest request;
        try {
            request = GsbRequest.decode(frame);
        } catch (RuntimeException e) {
            // Without an id there is nobody to answer; an empty id tells the sandbox what went wrong.
            return new GsbRequest("", "", FlexBuffers.Map.empty())
                    .error("not a GSB request: " + e.getMessage());
        }
        try {
            return file.answer(request);
        } catch (IOException | RuntimeException e) {
            return request.error(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        unbind.run();
        WebSocket open = socket;
        if (open != null) {
            try {
                open.sendClose(WebSocket.NORMAL_CLOSURE, "gftp closed").get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                open.abort();
            }
        }
        file.close();
    }
}
