package dev.golemsandbox.agent;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asynchronous client of the guest agent over the host end of its virtio-serial port. Every
 * request gets an id and a deadline and returns a future; replies complete them, notifications go
 * to the {@link AgentListener}. When the connection ends (the VM stopped or died), every pending
 * request fails at once with {@link AgentException.Closed} carrying the reason.
 *
 * <pre>{@code
 * GuestAgent agent = GuestAgent.attach(channel, "vm-1", listener);
 * agent.ready().get(10, SECONDS);
 * long pid = agent.run(new ProcessRequest("/bin/echo", List.of("echo", "hi"), env, "/", null)).join();
 * }</pre>
 *
 * Legal in any state; after {@link #close} every call returns an already failed future.
 */
public final class GuestAgent implements AutoCloseable {

    /** How long a control request (not a process) may take before it fails. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

    private static final int RESP_OK = 0;
    private static final int RESP_OK_U64 = 1;
    private static final int RESP_OK_BYTES = 2;
    private static final int RESP_ERR = 3;
    private static final int NOTIFY_OUTPUT_AVAILABLE = 4;
    private static final int NOTIFY_PROCESS_DIED = 5;
    private static final int NOTIFY_READY = 11;
    private static final int RESP_ERR_TEXT = 12;

    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "guest-agent-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    private final SocketChannel channel;
    private final String name;
    private final AgentListener listener;
    private final ExecutorService writer;
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private volatile AgentException.Closed closed;

    private record Pending(int type, CompletableFuture<Object> future) {
    }

    private GuestAgent(SocketChannel channel, String name, AgentListener listener) {
        this.channel = channel;
        this.name = name;
        this.listener = listener;
        this.writer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, name + "-agent-writer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts serving a connected channel.
     *
     * @param name names the VM in thread names and error messages
     */
    public static GuestAgent attach(SocketChannel channel, String name, AgentListener listener) {
        GuestAgent agent = new GuestAgent(channel, name, listener);
        Thread reader = new Thread(agent::readLoop, name + "-agent-reader");
        reader.setDaemon(true);
        reader.start();
        return agent;
    }

    /** Completes with the agent's hello ("golem-sandbox-agent <version>") once it serves requests. */
    public CompletableFuture<String> ready() {
        return ready;
    }

    /** Starts a process; completes with its pid. */
    public CompletableFuture<Long> run(ProcessRequest request) {
        return send(WireMessage.RUN_PROCESS, DEFAULT_DEADLINE, message -> {
            message.field(1).bytes(request.bin());
            message.field(2).array(request.argv());
            message.field(3).array(request.env());
            message.field(7).bytes(request.cwd());
            if (request.user() != null) {
                message.field(9).bytes(request.user());
            }
        }).thenApply(Long.class::cast);
    }

    /** Sends {@code signal} to the process (and its process group). */
    public CompletableFuture<Void> kill(long pid, int signal) {
        return send(WireMessage.KILL_PROCESS, DEFAULT_DEADLINE, message -> {
            message.field(1).u64(pid);
            message.field(2).u32(signal);
        }).thenApply(ignored -> null);
    }

    /**
     * Mounts the 9p share {@code tag} at {@code path}; with {@code subdir}, only that
     * sub-directory of the share is bind-mounted there.
     */
    public CompletableFuture<Void> mount(String tag, String path, String subdir) {
        return send(WireMessage.MOUNT_VOLUME, DEFAULT_DEADLINE, message -> {
            message.field(1).bytes(tag);
            message.field(2).bytes(path);
            if (subdir != null) {
                message.field(3).bytes(subdir);
            }
        }).thenApply(ignored -> null);
    }

    /** Takes up to {@code maxBytes} of buffered output of {@code pid} on {@code fd} (1 or 2). */
    public CompletableFuture<byte[]> queryOutput(long pid, int fd, long maxBytes) {
        return send(WireMessage.QUERY_OUTPUT, DEFAULT_DEADLINE, message -> {
            message.field(1).u64(pid);
            message.field(2).u8(fd);
            message.field(3).u64(0);
            message.field(4).u64(maxBytes);
        }).thenApply(byte[].class::cast);
    }

    /** Sets the guest's wall clock to {@code now} (its clock stands still while the VM is paused). */
    public CompletableFuture<Void> setClock(Instant now) {
        return send(WireMessage.SET_CLOCK, DEFAULT_DEADLINE, message -> {
            message.field(1).u64(now.getEpochSecond());
            message.field(2).u32(now.getNano());
        }).thenApply(ignored -> null);
    }

    /** Asks the guest to sync, unmount its volumes and power off; completes when it acknowledged. */
    public CompletableFuture<Void> quit(Duration deadline) {
        return send(WireMessage.QUIT, deadline, message -> {
        }).thenApply(ignored -> null);
    }

    /** Whether the connection is gone. */
    public boolean isClosed() {
        return closed != null;
    }

    /** Ends the connection; pending and later requests fail with {@code reason}. Idempotent. */
    public void close(String reason) {
        AgentException.Closed cause;
        synchronized (this) {
            if (closed != null) {
                return;
            }
            cause = new AgentException.Closed(reason);
            closed = cause;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing is best effort: the peer may be gone already.
        }
        writer.shutdownNow();
        ready.completeExceptionally(cause);
        List<Pending> failed = new ArrayList<>(pending.values());
        pending.clear();
        for (Pending p : failed) {
            p.future().completeExceptionally(cause);
        }
        listener.closed(cause);
    }

    @Override
    public void close() {
        close("the connection to the guest agent of " + name + " was closed");
    }

    private interface Fields {
        void write(WireMessage message);
    }

    private CompletableFuture<Object> send(int type, Duration deadline, Fields fields) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        AgentException.Closed gone = closed;
        if (gone != null) {
            future.completeExceptionally(gone);
            return future;
        }
        long id = nextId.getAndIncrement();
        WireMessage message = new WireMessage(id, type);
        fields.write(message);
        byte[] bytes = message.end();
        pending.put(id, new Pending(type, future));
        DEADLINES.schedule(() -> {
            Pending timedOut = pending.remove(id);
            if (timedOut != null) {
                timedOut.future().completeExceptionally(new AgentException.Timeout("the guest agent of " + name
                        + " did not answer " + WireMessage.typeName(type) + " within " + deadline.toSeconds() + " s"));
            }
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        try {
            writer.execute(() -> write(bytes));
        } catch (RejectedExecutionException e) {
            pending.remove(id);
            future.completeExceptionally(closed != null ? closed : new AgentException.Closed("the guest agent of " + name + " is closed"));
        }
        return future;
    }

    private void write(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            close("cannot write to the guest agent of " + name + ": " + e.getMessage());
        }
    }

    private void readLoop() {
        Input in = new Input(channel);
        try {
            for (;;) {
                long id = in.u64();
                int type = in.u8();
                if (id == 0) {
                    notification(type, in);
                } else {
                    reply(id, type, in);
                }
            }
        } catch (EOFException e) {
            close("the guest agent of " + name + " closed the connection (the VM stopped)");
        } catch (IOException e) {
            close("lost the connection to the guest agent of " + name + ": " + e.getMessage());
        } catch (RuntimeException e) {
            close("the guest agent of " + name + " sent something unreadable: " + e);
        }
    }

    private void notification(int type, Input in) throws IOException {
        switch (type) {
            case NOTIFY_OUTPUT_AVAILABLE -> {
                long pid = in.u64();
                int fd = (int) in.u32();
                listener.outputAvailable(pid, fd);
            }
            case NOTIFY_PROCESS_DIED -> {
                long pid = in.u64();
                int status = in.u8();
                int kind = in.u8();
                listener.processDied(new ProcessExit(pid, status, kind));
            }
            case NOTIFY_READY -> ready.complete(new String(in.bytes(), StandardCharsets.UTF_8));
            default -> throw new IOException("unknown notification type " + type);
        }
    }

    private void reply(long id, int type, Input in) throws IOException {
        Object value;
        AgentException error = null;
        switch (type) {
            case RESP_OK -> value = Boolean.TRUE;
            case RESP_OK_U64 -> value = in.u64();
            case RESP_OK_BYTES -> value = in.bytes();
            case RESP_ERR -> {
                int errno = (int) in.u32();
                value = null;
                error = new AgentException("guest error " + errno, errno);
            }
            case RESP_ERR_TEXT -> {
                int errno = (int) in.u32();
                value = null;
                error = new AgentException(new String(in.bytes(), StandardCharsets.UTF_8), errno);
            }
            default -> throw new IOException("unknown reply type " + type);
        }
        Pending p = pending.remove(id);
        if (p == null) {
            return;
        }
        if (error != null) {
            p.future().completeExceptionally(error);
        } else {
            p.future().complete(value);
        }
    }

    /** Little-endian reads from the channel through a buffer. */
    private static final class Input {
        private final SocketChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        Input(SocketChannel channel) {
            this.channel = channel;
            buffer.flip();
        }

        private void need(int n) throws IOException {
            if (buffer.remaining() >= n) {
                return;
            }
            buffer.compact();
            while (buffer.position() < n) {
                if (channel.read(buffer) < 0) {
                    throw new EOFException();
                }
            }
            buffer.flip();
        }

        int u8() throws IOException {
            need(1);
            return Byte.toUnsignedInt(buffer.get());
        }

        long u32() throws IOException {
            need(4);
            return Integer.toUnsignedLong(buffer.getInt());
        }

        long u64() throws IOException {
            need(8);
            return buffer.getLong();
        }

        byte[] bytes() throws IOException {
            long length = u64();
            if (length > Integer.MAX_VALUE - 16) {
                throw new IOException("a " + length + "-byte field is too large");
            }
            byte[] out = new byte[(int) length];
            int filled = Math.min(buffer.remaining(), out.length);
            buffer.get(out, 0, filled);
            ByteBuffer rest = ByteBuffer.wrap(out, filled, out.length - filled);
            while (rest.hasRemaining()) {
                if (channel.read(rest) < 0) {
                    throw new EOFException();
                }
            }
            return out;
        }
    }
}
