package dev.golemsandbox.vm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * QEMU's machine protocol (QMP) on the VM's monitor socket, one connection per command: the VM
 * is paused and resumed rarely, and a connection held open would be one more thing to leak.
 * QEMU listens on the socket itself ({@code server=on,wait=off}), so nothing waits for it at boot.
 */
final class QmpMonitor {

    /** Generous: QEMU answers in milliseconds even on a loaded host. */
    static final Duration DEADLINE = Duration.ofSeconds(10);

    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "qmp-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    private QmpMonitor() {
    }

    /** The QEMU arguments that open the monitor on {@code socket}. */
    static List<String> arguments(Path socket) {
        return List.of("-qmp", "unix:" + socket.toAbsolutePath().toString().replace(",", ",,") + ",server=on,wait=off");
    }

    /**
     * Runs one QMP command ({@code stop}, {@code cont}, ...) and waits for its answer.
     *
     * @throws IOException when the monitor cannot be reached, does not answer within
     *                     {@link #DEADLINE} or QEMU answers with an error
     */
    static void execute(Path socket, String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // A hung QEMU still gets the connection (the kernel accepts it) but never answers.
            AtomicBoolean late = new AtomicBoolean();
            ScheduledFuture<?> guard = DEADLINES.schedule(() -> {
                late.set(true);
                closeQuietly(channel);
            }, DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
                OutputStream out = Channels.newOutputStream(channel);
                JsonNode greeting = JsonMapper.shared().readTree(line(in));
                if (!greeting.has("QMP")) {
                    throw new IOException("QEMU's monitor did not greet: " + greeting);
                }
                answer(in, out, "qmp_capabilities");
                answer(in, out, command);
            } catch (IOException e) {
                if (late.get()) {
                    throw new IOException("QEMU's monitor did not answer " + command + " within " + DEADLINE.toSeconds() + " s", e);
                }
                throw e;
            } finally {
                guard.cancel(false);
            }
        }
    }

    /** Sends {@code command} and skips the events QEMU interleaves until its return. */
    private static void answer(BufferedReader in, OutputStream out, String command) throws IOException {
        out.write(("{\"execute\":\"" + command + "\"}\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        for (;;) {
            JsonNode reply = JsonMapper.shared().readTree(line(in));
            if (reply.has("return")) {
                return;
            }
            if (reply.has("error")) {
                throw new IOException("QEMU refused " + command + ": " + reply.path("error").path("desc").asText());
            }
        }
    }

    private static String line(BufferedReader in) throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("QEMU's monitor closed the connection");
        }
        return line;
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing only unblocks the reader.
        }
    }
}
