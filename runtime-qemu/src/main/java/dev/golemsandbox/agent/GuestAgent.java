package dev.golemsandbox.agent;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Asynchronous client of the guest agent over the host end of its virtio-serial port. Every
 * request gets an id and a deadline and returns a future; replies complete them, notifications go
 * to the {@link AgentListener}. When the connection ends (the VM stopped or died), every pending
 * request fails at once with {@link AgentException.Closed} carrying the reason. What the guest sends
 * is untrusted and read through a {@link FrameDecoder}: a {@link ProtocolViolation}, or any other
 * failure of the reader thread, closes the connection with a reason naming it, and whoever owns the
 * VM kills it on {@link #whenClosed()}.
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

    private static final ScheduledThreadPoolExecutor DEADLINES = deadlineTimer();

    private final SocketChannel channel;
    private final FrameDecoder decoder;
    private final String name;
    private final AgentListener listener;
    private final ExecutorService writer;
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final CompletableFuture<AgentException.Closed> whenClosed = new CompletableFuture<>();
    private volatile AgentException.Closed closed;

    private record Pending(int type, CompletableFuture<Object> future) {
    }

    private GuestAgent(SocketChannel channel, String name, AgentListener listener) {
        this.channel = channel;
        this.decoder = new FrameDecoder(channel);
        this.name = name;
        this.listener = listener;
        this.writer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, name + "-agent-writer");
            thread.setDaemon(true);
            return thread;
        });
    }

    private static ScheduledThreadPoolExecutor deadlineTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "guest-agent-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Deadlines of requests still waiting for their answer, across all connections. */
    static int waitingDeadlines() {
        return DEADLINES.getQueue().size();
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
        return send(WireMessage.RUN_PROCESS, DEFAULT_DEADLINE, 0, message -> {
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
        return send(WireMessage.KILL_PROCESS, DEFAULT_DEADLINE, 0, message -> {
            message.field(1).u64(pid);
            message.field(2).u32(signal);
        }).thenApply(ignored -> null);
    }

    /**
     * Mounts the 9p share {@code tag} at {@code path}; with {@code subdir}, only that
     * sub-directory of the share is bind-mounted there.
     */
    public CompletableFuture<Void> mount(String tag, String path, String subdir) {
        return send(WireMessage.MOUNT_VOLUME, DEFAULT_DEADLINE, 0, message -> {
            message.field(1).bytes(tag);
            message.field(2).bytes(path);
            if (subdir != null) {
                message.field(3).bytes(subdir);
            }
        }).thenApply(ignored -> null);
    }

    /**
     * Gives interface {@code iface} (0 the VPN's eth0, 1 the outbound eth1) the address
     * {@code address} with {@code mask}, its MTU, and brings it up.
     */
    public CompletableFuture<Void> setAddress(int iface, String address, String mask) {
        return send(WireMessage.NET_CTL, DEFAULT_DEADLINE, 0, message -> {
            message.field(1).u16(1);
            message.field(3).bytes(mask);
            message.field(5).bytes(address);
            message.field(6).u16(iface);
        }).thenApply(ignored -> null);
    }

    /** Routes {@code network}/{@code mask} (empty: the default route) via {@code gateway} on {@code iface}. */
    public CompletableFuture<Void> addRoute(int iface, String network, String mask, String gateway) {
        return send(WireMessage.NET_CTL, DEFAULT_DEADLINE, 0, message -> {
            message.field(1).u16(0);
            message.field(2).bytes(network);
            message.field(3).bytes(mask);
            message.field(4).bytes(gateway);
            message.field(6).u16(iface);
        }).thenApply(ignored -> null);
    }

    /** Appends {@code address -> name} lines to the image root's {@code /etc/hosts}. */
    public CompletableFuture<Void> addHosts(Map<String, String> namesByAddress) {
        return send(WireMessage.NET_HOST, DEFAULT_DEADLINE, 0, message -> namesByAddress.forEach((address, name) -> {
            message.field(1).bytes(address);
            message.bytes(name);
        })).thenApply(ignored -> null);
    }

    /**
     * Takes up to {@code maxBytes} (at most {@link FrameDecoder#MAX_OUTPUT_BYTES}) of buffered
     * output of {@code pid} on {@code fd} (1 or 2); a longer reply is a protocol violation.
     */
    public CompletableFuture<byte[]> queryOutput(long pid, int fd, long maxBytes) {
        long asked = maxBytes <= 0 ? FrameDecoder.MAX_OUTPUT_BYTES : Math.min(maxBytes, FrameDecoder.MAX_OUTPUT_BYTES);
        return send(WireMessage.QUERY_OUTPUT, DEFAULT_DEADLINE, asked, message -> {
            message.field(1).u64(pid);
            message.field(2).u8(fd);
            message.field(3).u64(0);
            message.field(4).u64(asked);
        }).thenApply(byte[].class::cast);
    }

    /** Sets the guest's wall clock to {@code now} (its clock stands still while the VM is paused). */
    public CompletableFuture<Void> setClock(Instant now) {
        return send(WireMessage.SET_CLOCK, DEFAULT_DEADLINE, 0, message -> {
            message.field(1).u64(now.getEpochSecond());
            message.field(2).u32(now.getNano());
        }).thenApply(ignored -> null);
    }

    /** Asks the guest to sync, unmount its volumes and power off; completes when it acknowledged. */
    public CompletableFuture<Void> quit(Duration deadline) {
        return send(WireMessage.QUIT, deadline, 0, message -> {
        }).thenApply(ignored -> null);
    }

    /** Whether the connection is gone. */
    public boolean isClosed() {
        return closed != null;
    }

    /**
     * Completes, once, with the reason the connection ended, after every pending request failed
     * with it and the listener heard of it. Legal in any state.
     */
    public CompletableFuture<AgentException.Closed> whenClosed() {
        return whenClosed;
    }

    /** Ends the connection; pending and later requests fail with {@code reason}. Idempotent. */
    public void close(String reason) {
        close(reason, null);
    }

    private void close(String reason, Throwable failure) {
        AgentException.Closed cause;
        synchronized (this) {
            if (closed != null) {
                return;
            }
            cause = new AgentException.Closed(reason);
            if (failure != null) {
                cause.initCause(failure);
            }
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
        try {
            listener.closed(cause);
        } finally {
            whenClosed.complete(cause);
        }
    }

    @Override
    public void close() {
        close("the connection to the guest agent of " + name + " was closed");
    }

    private interface Fields {
        void write(WireMessage message);
    }

    /**
     * Fills the guest's RAM-backed file systems (the root's upper layer, {@code /tmp},
     * {@code /dev/shm}) so that a write needing a new page fails with ENOSPC, and covers its
     * volumes so that any change to them fails with ENOSPC ({@code full}); or gives the file
     * systems their sizes back and uncovers the volumes, as they were.
     */
    public CompletableFuture<Void> diskFull(boolean full) {
        return send(WireMessage.DISK_FULL, DEFAULT_DEADLINE, 0, message -> message.field(1).u8(full ? 1 : 0))
                .thenApply(ignored -> null);
    }

    /** Sends a request; {@code maxBytes} bounds the reply of a QUERY_OUTPUT. */
    private CompletableFuture<Object> send(int type, Duration deadline, long maxBytes, Fields fields) {
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
        if (closed != null) {
            pending.remove(id);
            future.completeExceptionally(closed);
            return future;
        }
        try {
            decoder.expect(id, type, maxBytes);
        } catch (ProtocolViolation e) {
            close("the guest agent of " + name + " broke the protocol: " + e.getMessage() + "; the VM was killed", e);
            return future;
        }
        ScheduledFuture<?> timer = DEADLINES.schedule(() -> {
            Pending timedOut = pending.remove(id);
            if (timedOut != null) {
                timedOut.future().completeExceptionally(new AgentException.Timeout("the guest agent of " + name
                        + " did not answer " + WireMessage.typeName(type) + " within " + deadline.toSeconds() + " s"));
            }
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        // A guest answering fast must not leave a deadline per request queued for its whole length.
        future.whenComplete((value, error) -> timer.cancel(false));
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
            close("cannot write to the guest agent of " + name + ": " + e.getMessage(), e);
        }
    }

    private void readLoop() {
        try {
            for (;;) {
                handle(decoder.next());
            }
        } catch (ProtocolViolation e) {
            close("the guest agent of " + name + " broke the protocol: " + e.getMessage() + "; the VM was killed", e);
        } catch (EOFException e) {
            close("the guest agent of " + name + " closed the connection (the VM stopped)", null);
        } catch (IOException e) {
            close("lost the connection to the guest agent of " + name + ": " + e.getMessage(), e);
        } catch (Throwable e) {
            // Out of memory or a bug in a listener: the connection cannot go on, and nobody else would say so.
            close("reading from the guest agent of " + name + " failed (" + e + "); the VM was killed", e);
        }
    }

    private void handle(GuestFrame frame) {
        if (frame instanceof GuestFrame.Reply reply) {
            settle(reply.id(), future -> future.complete(reply.value()));
        } else if (frame instanceof GuestFrame.Refusal refusal) {
            AgentException refused = new AgentException(refusal.reason() != null ? refusal.reason()
                    : "guest error " + refusal.errno(), refusal.errno());
            settle(refusal.id(), future -> future.completeExceptionally(refused));
        } else if (frame instanceof GuestFrame.OutputAvailable output) {
            listener.outputAvailable(output.pid(), output.fd());
        } else if (frame instanceof GuestFrame.ProcessDied died) {
            listener.processDied(died.exit());
        } else if (frame instanceof GuestFrame.Ready hello) {
            ready.complete(hello.hello());
        }
    }

    /** Completes the request's future unless its deadline already failed it. */
    private void settle(long id, Consumer<CompletableFuture<Object>> outcome) {
        Pending p = pending.remove(id);
        if (p != null) {
            outcome.accept(p.future());
        }
    }
}
