package dev.golemsandbox.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest agent connection whose guest end is this test: what a hostile guest writes ends the
 * connection with a reason, and every waiting request fails with it at once.
 */
class GuestAgentBoundaryTest {

    @TempDir
    Path temp;

    private SocketChannel guest;
    private SocketChannel host;

    @BeforeEach
    void connect() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(temp.resolve("agent.sock")));
            guest = SocketChannel.open(server.getLocalAddress());
            host = server.accept();
        }
    }

    @AfterEach
    void disconnect() throws IOException {
        guest.close();
        host.close();
    }

    private void guestWrites(GuestBytes bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
        while (buffer.hasRemaining()) {
            guest.write(buffer);
        }
    }

    @Test
    void aGiantFrameFailsThePendingRequestAtOnceWithTheViolation() throws Exception {
        RecordingListener listener = new RecordingListener();
        GuestAgent agent = GuestAgent.attach(host, "vm-hostile", listener);
        guestWrites(new GuestBytes().ready());
        agent.ready().get(10, TimeUnit.SECONDS);
        CompletableFuture<Long> run = agent.run(new ProcessRequest("/bin/true", List.of("true"), List.of(), "/", null));

        guestWrites(new GuestBytes().u64(0).u8(11).u64(1L << 31));

        AgentException.Closed closed = agent.whenClosed().get(10, TimeUnit.SECONDS);
        assertThat(closed).hasMessageContaining("the guest agent of vm-hostile broke the protocol")
                .hasMessageContaining("2147483648 bytes");
        assertThat(closed.getCause()).isInstanceOf(ProtocolViolation.class);
        assertThat(run).isCompletedExceptionally();
        assertThatThrownBy(run::get).isInstanceOf(ExecutionException.class).hasCause(closed);
        assertThat(listener.closed).isCompletedWithValue(closed);
        assertThat(agent.kill(1, 9)).isCompletedExceptionally();
    }

    @Test
    void aFailingReaderEndsTheConnectionWithTheFailureInsteadOfDyingSilently() throws Exception {
        RecordingListener listener = new RecordingListener() {
            @Override
            public void outputAvailable(long pid, int fd) {
                throw new OutOfMemoryError("Java heap space");
            }
        };
        GuestAgent agent = GuestAgent.attach(host, "vm-oom", listener);
        CompletableFuture<Long> run = agent.run(new ProcessRequest("/bin/true", List.of("true"), List.of(), "/", null));
        guestWrites(new GuestBytes().pid(1, 42).outputAvailable(42, 1));

        assertThat(run.get(10, TimeUnit.SECONDS)).isEqualTo(42L);
        AgentException.Closed closed = agent.whenClosed().get(10, TimeUnit.SECONDS);
        assertThat(closed).hasMessageContaining("reading from the guest agent of vm-oom failed")
                .hasMessageContaining("OutOfMemoryError");
        assertThat(agent.isClosed()).isTrue();
    }

    @Test
    void aFloodOfNoticesForUnknownProcessesEndsTheConnection() throws Exception {
        RecordingListener listener = new RecordingListener();
        GuestAgent agent = GuestAgent.attach(host, "vm-flood", listener);
        GuestBytes flood = new GuestBytes();
        for (int i = 0; i < 10_000; i++) {
            flood.outputAvailable(5000 + i, 2);
        }
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                guestWrites(flood);
            } catch (IOException closedByTheHost) {
                // The host stops reading once it has seen enough.
            }
        });

        AgentException.Closed closed = agent.whenClosed().get(10, TimeUnit.SECONDS);
        assertThat(closed).hasMessageContaining("more than 4096 notifications for processes the host did not start");
        assertThat(listener.notices).isZero();
        writing.get(10, TimeUnit.SECONDS);
    }

    @Test
    void answeredRequestsLeaveNoDeadlineBehind() throws Exception {
        GuestAgent agent = GuestAgent.attach(host, "vm-fast", new RecordingListener());
        int before = GuestAgent.waitingDeadlines();
        List<CompletableFuture<Void>> kills = new java.util.ArrayList<>();
        GuestBytes answers = new GuestBytes();
        for (int id = 1; id <= 2000; id++) {
            kills.add(agent.kill(7, 9));
            answers.u64(id).u8(0);
        }
        guestWrites(answers);

        CompletableFuture.allOf(kills.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        // The last deadline is cancelled just after its request completes, on the reader thread.
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (GuestAgent.waitingDeadlines() > before && System.nanoTime() < giveUp) {
            Thread.onSpinWait();
        }
        assertThat(GuestAgent.waitingDeadlines()).as("deadlines still queued (2000 requests answered)").isLessThanOrEqualTo(before);
        agent.close();
    }

    private static class RecordingListener implements AgentListener {
        final CompletableFuture<AgentException.Closed> closed = new CompletableFuture<>();
        volatile int notices;

        @Override
        public void outputAvailable(long pid, int fd) {
            notices++;
        }

        @Override
        public void processDied(ProcessExit exit) {
            notices++;
        }

        @Override
        public void closed(AgentException.Closed cause) {
            closed.complete(cause);
        }
    }
}
