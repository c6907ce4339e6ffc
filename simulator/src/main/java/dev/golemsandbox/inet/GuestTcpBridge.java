package dev.golemsandbox.inet;

import dev.golemsandbox.net.Ipv4;
import dev.golemsandbox.net.PacketBuilder;
import dev.golemsandbox.net.TcpConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection of a guest through the gateway: the guest's side is a {@link TcpConnection}
 * the gateway accepted, the other a host socket to the allowed destination, and bytes flow
 * between them both ways with back-pressure (the host socket is not read while the guest has much
 * unacknowledged, the guest's window stays closed while the host socket does not take its bytes).
 * A FIN on either side half-closes the other; a reset or a failed connect resets the guest's.
 */
final class GuestTcpBridge implements TcpConnection.Wire, TcpConnection.Listener, ChannelHandler {

    /** Where the gateway stops reading the host socket until the guest has acknowledged more. */
    static final int HIGH_WATER = 256 << 10;
    private static final int READ_CHUNK = 64 << 10;
    private static final long CONNECT_TIMEOUT_MS = 10_000;

    private final OutboundLink link;
    private final OutboundLink.TcpKey key;
    private final TcpConnection connection;
    private final SocketChannel socket;
    private final SelectionKey selection;
    private final ArrayDeque<ByteBuffer> toHost = new ArrayDeque<>();
    private final ScheduledFuture<?> connectTimeout;
    private boolean connected;
    private boolean guestFinished;
    private boolean readPaused;
    private boolean ended;

    private GuestTcpBridge(OutboundLink link, OutboundLink.TcpKey key, OutboundFilter.Target target, ByteBuffer syn, int length)
            throws IOException {
        this.link = link;
        this.key = key;
        this.socket = SocketChannel.open();
        try {
            socket.configureBlocking(false);
            socket.connect(new InetSocketAddress(target.address().toString(), target.port()));
            this.selection = socket.register(link.gateway().selector(), SelectionKey.OP_CONNECT, this);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        this.connection = TcpConnection.accept(this, key.destination(), key.destinationPort(), OutboundLink.GUEST,
                key.guestPort(), link.gateway().timer(), OutboundLink.MSS, syn, length);
        connection.listen(this);
        this.connectTimeout = link.gateway().timer().schedule(
                () -> connectFailed("no answer within " + CONNECT_TIMEOUT_MS / 1000 + " s"), CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** Accepts the guest's connection from its SYN and starts connecting to {@code target}. Called on the selector thread. */
    static GuestTcpBridge open(OutboundLink link, OutboundLink.TcpKey key, OutboundFilter.Target target, ByteBuffer syn, int length)
            throws IOException {
        return new GuestTcpBridge(link, key, target, syn, length);
    }

    /** A segment of the guest's for this connection. */
    void segment(ByteBuffer tcp, int length) {
        connection.segment(tcp, length);
        // The connection's lock is never taken under this one's: its timer ends bridges while holding it.
        int unacknowledged = connection.unacknowledged();
        synchronized (this) {
            if (readPaused && !ended && unacknowledged < HIGH_WATER / 2) {
                readPaused = false;
                interest(SelectionKey.OP_READ, true);
            }
        }
    }

    @Override
    public void ready(SelectionKey key) throws IOException {
        if (key.isConnectable()) {
            try {
                socket.finishConnect();
            } catch (IOException e) {
                connectFailed(e.getMessage());
                return;
            }
            synchronized (this) {
                connected = true;
                connectTimeout.cancel(false);
                interest(SelectionKey.OP_CONNECT, false);
                interest(SelectionKey.OP_READ, true);
            }
            flush();
            return;
        }
        if (key.isReadable()) {
            readHost();
        }
        if (key.isValid() && key.isWritable()) {
            flush();
        }
    }

    private void readHost() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(READ_CHUNK);
        int n = socket.read(buffer);
        if (n < 0) {
            synchronized (this) {
                interest(SelectionKey.OP_READ, false);
            }
            connection.close(); // our FIN follows what the guest has not acknowledged yet
            return;
        }
        if (n == 0) {
            return;
        }
        byte[] bytes = new byte[n];
        buffer.flip().get(bytes);
        if (!connection.write(bytes)) {
            end();
            return;
        }
        int unacknowledged = connection.unacknowledged();
        synchronized (this) {
            if (unacknowledged >= HIGH_WATER && !ended) {
                readPaused = true;
                interest(SelectionKey.OP_READ, false);
            }
        }
    }

    /** Writes what the guest sent to the host socket, as far as it takes it; the guest's window opens by as much. */
    private void flush() throws IOException {
        int written = 0;
        boolean shutDown = false;
        synchronized (this) {
            if (!connected || ended) {
                return;
            }
            while (!toHost.isEmpty()) {
                ByteBuffer head = toHost.peek();
                written += socket.write(head);
                if (head.hasRemaining()) {
                    break;
                }
                toHost.poll();
            }
            interest(SelectionKey.OP_WRITE, !toHost.isEmpty());
            if (toHost.isEmpty() && guestFinished && socket.isOpen()) {
                shutDown = true;
            }
        }
        if (written > 0) {
            connection.consumed(written);
        }
        if (shutDown) {
            socket.shutdownOutput();
        }
    }

    private void connectFailed(String why) {
        synchronized (this) {
            if (connected || ended) {
                return;
            }
        }
        connection.reset("cannot connect: " + why); // the guest sees its connection reset, at once
        end();
    }

    @Override
    public void data(byte[] bytes) {
        synchronized (this) {
            toHost.add(ByteBuffer.wrap(bytes));
        }
        try {
            flush();
        } catch (IOException e) {
            failed(e);
        }
    }

    @Override
    public void peerClosed() {
        synchronized (this) {
            guestFinished = true;
        }
        try {
            flush();
        } catch (IOException e) {
            failed(e);
        }
    }

    @Override
    public void closed(String why) {
        end();
    }

    @Override
    public void failed(Exception cause) {
        connection.reset("the host connection failed: " + cause.getMessage());
        end();
    }

    @Override
    public void send(Ipv4 to, ByteBuffer tcp) {
        link.sendToGuest(key.destination(), PacketBuilder.PROTO_TCP, tcp);
    }

    @Override
    public void forget(TcpConnection over) {
        end();
    }

    /** The guest's connection is over (or the link closes): the host socket goes with it. */
    void end() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            toHost.clear();
        }
        connectTimeout.cancel(false);
        link.forget(key, this);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Resets the guest's side and ends the bridge (the link is closing). */
    void reset() {
        connection.reset("the VM's outbound link closed");
        end();
    }


    private void interest(int op, boolean on) {
        if (selection.isValid()) {
            int ops = selection.interestOps();
            selection.interestOps(on ? ops | op : ops & ~op);
        }
    }
}
