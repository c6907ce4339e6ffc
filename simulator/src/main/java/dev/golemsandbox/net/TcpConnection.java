package dev.golemsandbox.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection between the sandbox and a VM, over Ethernet frames: an active open (the
 * requestor's node connecting to a VM) or a passive one (the outbound gateway accepting a VM's
 * connection), in-order delivery (a segment out of order is dropped and the peer retransmits, and
 * nothing beyond our window is taken), go-back-N retransmission on a timer, the peer's window
 * respected, and FIN or RST ending it. Enough TCP for a proxy on a lossless, in-order link, with
 * retransmission for the datagrams a full socket buffer drops. Thread-safe: frames, the user and
 * the timer all call in.
 */
public final class TcpConnection {

    /** Where the connection's segments go, and who forgets it when it ends. */
    public interface Wire {
        /** Sends a complete TCP segment (checksum included) to {@code to}. */
        void send(Ipv4 to, ByteBuffer tcp);

        /** The connection has ended: drop it from the table of connections. */
        void forget(TcpConnection connection);
    }

    /** What the connection tells its user (the proxy's WebSocket, the gateway's host socket). */
    public interface Listener {
        /** Bytes that arrived, in order. */
        void data(byte[] bytes);

        /** The connection ended: the peer closed or reset it, or it timed out. */
        void closed(String why);

        /**
         * The peer sent its FIN: nothing more will arrive. An actively opened connection closes
         * our side too (by default the connection is then over); an accepted one stays open for
         * writing until {@link #close}, as TCP's half-close allows.
         */
        default void peerClosed() {
            closed("the peer closed the connection");
        }
    }

    /** The most unacknowledged data the sandbox keeps for the peer. */
    static final int MAX_UNSENT = 64 << 20;
    private static final int OUR_WINDOW = 65535;
    private static final long MIN_RTO_MS = 300;
    private static final long MAX_RTO_MS = 8000;
    private static final int MAX_RETRIES = 12;
    /** A half-open connection that does not complete within a few SYN-ACKs is given up: a SYN flood holds little. */
    private static final int MAX_SYN_ACK_RETRIES = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { SYN_SENT, SYN_RECEIVED, ESTABLISHED, CLOSED }

    private final Wire node;
    private final Ipv4 localIp;
    private final int localPort;
    private final Ipv4 remoteIp;
    private final int remotePort;
    private final ScheduledExecutorService timer;
    private final int ourMss;
    /** Whether the peer's FIN leaves our side open (accepted connections) or closes it too. */
    private boolean halfClose;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();

    private State state = State.SYN_SENT;
    private Listener listener;
    /** What arrived before there was a listener. */
    private final ByteArrayOutputStream pendingData = new ByteArrayOutputStream();
    private final long iss = RANDOM.nextInt() & 0xffffffffL;
    /** Oldest unacknowledged sequence number; data[0] of {@link #unacked} is at sndUna (+1 while the SYN is unacked). */
    private long sndUna = iss;
    private long sndNxt = iss;
    private long rcvNxt;
    private int peerWindow = 0;
    /** Bytes that arrived and the user has not passed on yet (they close our receive window). */
    private int unread;
    private int mss = 536;
    private byte[] unacked = new byte[0];
    private int unackedLength;
    private boolean finWanted;
    private boolean finSent;
    private boolean peerFin;
    private long rto = 1000;
    private int retries;
    private ScheduledFuture<?> retransmit;

    /** @param ourMss the largest segment we take, announced in our SYN or SYN-ACK (the link's MTU less 40) */
    TcpConnection(Wire node, Ipv4 localIp, int localPort, Ipv4 remoteIp, int remotePort, ScheduledExecutorService timer, int ourMss) {
        this.node = node;
        this.localIp = localIp;
        this.localPort = localPort;
        this.remoteIp = remoteIp;
        this.remotePort = remotePort;
        this.timer = timer;
        this.ourMss = ourMss;
    }

    /**
     * Accepts the peer's connection (a passive open) from its SYN: answers with a SYN-ACK, and
     * completes {@link #established} on the peer's ACK.
     *
     * @param syn the SYN segment, starting at its TCP header, {@code length} bytes
     */
    public static TcpConnection accept(Wire wire, Ipv4 localIp, int localPort, Ipv4 remoteIp, int remotePort,
                                       ScheduledExecutorService timer, int ourMss, ByteBuffer syn, int length) {
        TcpConnection connection = new TcpConnection(wire, localIp, localPort, remoteIp, remotePort, timer, ourMss);
        synchronized (connection) {
            int p = syn.position();
            int dataOffset = ((syn.get(p + 12) & 0xf0) >>> 4) * 4;
            connection.rcvNxt = ((syn.getInt(p + 4) & 0xffffffffL) + 1) & 0xffffffffL;
            connection.peerWindow = syn.getShort(p + 14) & 0xffff;
            connection.mss = Math.min(ourMss, peerMss(syn, p, Math.min(dataOffset, length)));
            connection.state = State.SYN_RECEIVED;
            connection.halfClose = true;
            connection.sndNxt = (connection.iss + 1) & 0xffffffffL;
            connection.sendSynAck();
            connection.armTimer();
        }
        return connection;
    }

    public int localPort() {
        return localPort;
    }

    public Ipv4 remoteIp() {
        return remoteIp;
    }

    public int remotePort() {
        return remotePort;
    }

    /** Completes once the handshake is done; fails if it never is (refused, reset, no answer). */
    public CompletableFuture<Void> established() {
        return connected;
    }

    /** Bytes written and not yet acknowledged by the peer: the user stops writing while this is high. */
    public synchronized int unacknowledged() {
        return unackedLength;
    }

    /** Sends the SYN; completes when the peer accepted, fails when it refused (RST). */
    synchronized CompletableFuture<Void> open() {
        sndNxt = iss + 1;
        sendSegment(iss, PacketBuilder.SYN, 0, 0, ourMss);
        armTimer();
        return connected;
    }

    private void sendSynAck() {
        sendSegment(iss, PacketBuilder.SYN | PacketBuilder.ACK, 0, 0, ourMss);
    }

    /** Where arriving bytes and the end go; set once connected. Data that came before is handed over at once. */
    public void listen(Listener newListener) {
        byte[] early;
        boolean ended;
        boolean reset;
        synchronized (this) {
            listener = newListener;
            early = pendingData.toByteArray();
            pendingData.reset();
            ended = state == State.CLOSED || peerFin;
            reset = state == State.CLOSED && !peerFin;
        }
        if (early.length > 0) {
            newListener.data(early);
        }
        if (reset) {
            newListener.closed("the connection was reset");
        } else if (ended) {
            newListener.peerClosed();
        }
    }

    /**
     * Queues bytes for the peer.
     *
     * @return false if the connection is closed or already holds {@link #MAX_UNSENT} bytes
     */
    public synchronized boolean write(byte[] bytes) {
        if (state == State.CLOSED || finWanted || unackedLength + bytes.length > MAX_UNSENT) {
            return false;
        }
        if (unacked.length < unackedLength + bytes.length) {
            byte[] grown = new byte[Math.max(unacked.length * 2, unackedLength + bytes.length)];
            System.arraycopy(unacked, 0, grown, 0, unackedLength);
            unacked = grown;
        }
        System.arraycopy(bytes, 0, unacked, unackedLength, bytes.length);
        unackedLength += bytes.length;
        pump();
        return true;
    }

    /** Closes our side after what was written: a FIN follows the data. */
    public synchronized void close() {
        if (state == State.CLOSED || finWanted) {
            return;
        }
        finWanted = true;
        if (state == State.SYN_SENT) {
            abort("closed before it connected", true);
            return;
        }
        pump();
    }

    /** Ends the connection at once with a RST (the user went away, the network was removed). */
    public void reset(String why) {
        Listener toTell;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            abort(why, true);
            toTell = listener;
        }
        if (toTell != null) {
            toTell.closed(why);
        }
    }

    /**
     * The user has passed on {@code bytes} more of what arrived: the receive window opens by as
     * much, and the peer hears of it when it had (nearly) closed.
     */
    public void consumed(int bytes) {
        synchronized (this) {
            int before = window();
            unread = Math.max(0, unread - bytes);
            if (state == State.ESTABLISHED && before < mss && window() >= mss) {
                sendAck();
            }
        }
    }

    /** What the peer may send: our buffer less what the user has not passed on yet. */
    private int window() {
        return Math.max(0, OUR_WINDOW - unread);
    }

    /** One TCP segment from the peer; {@code tcp} starts at the TCP header. */
    public void segment(ByteBuffer tcp, int length) {
        Listener deliverTo = null;
        byte[] delivered = null;
        String closedWhy = null;
        boolean peerFinNow = false;
        synchronized (this) {
            if (state == State.CLOSED || length < PacketBuilder.TCP_HEADER) {
                return;
            }
            int p = tcp.position();
            long seq = tcp.getInt(p + 4) & 0xffffffffL;
            long ack = tcp.getInt(p + 8) & 0xffffffffL;
            int dataOffset = ((tcp.get(p + 12) & 0xf0) >>> 4) * 4;
            int flags = tcp.get(p + 13) & 0x3f;
            int window = tcp.getShort(p + 14) & 0xffff;
            if (dataOffset < PacketBuilder.TCP_HEADER || dataOffset > length) {
                return;
            }
            if ((flags & PacketBuilder.RST) != 0) {
                boolean refused = state == State.SYN_SENT;
                abort(refused ? "connection refused" : "the peer reset the connection", false);
                closedWhy = refused ? null : "the peer reset the connection";
                deliverTo = refused ? null : listener;
            } else if (state == State.SYN_SENT) {
                if ((flags & (PacketBuilder.SYN | PacketBuilder.ACK)) == (PacketBuilder.SYN | PacketBuilder.ACK) && ack == iss + 1) {
                    mss = Math.min(ourMss, peerMss(tcp, p, dataOffset));
                    rcvNxt = (seq + 1) & 0xffffffffL;
                    sndUna = ack;
                    peerWindow = window;
                    state = State.ESTABLISHED;
                    retries = 0;
                    cancelTimer();
                    sendAck();
                    connected.complete(null);
                }
                return;
            } else {
                if (state == State.SYN_RECEIVED) {
                    if ((flags & PacketBuilder.SYN) != 0) {
                        sendSynAck(); // our SYN-ACK was lost: the peer sent its SYN again
                        return;
                    }
                    if ((flags & PacketBuilder.ACK) == 0 || ack != ((iss + 1) & 0xffffffffL)) {
                        return;
                    }
                    sndUna = ack;
                    peerWindow = window;
                    state = State.ESTABLISHED;
                    retries = 0;
                    cancelTimer();
                    connected.complete(null);
                }
                if ((flags & PacketBuilder.ACK) != 0) {
                    acknowledged(ack, window);
                }
                int sent = length - dataOffset;
                // Never more than our window: a peer that ignores it cannot make the sandbox buffer more.
                int dataLength = Math.min(sent, window());
                boolean fin = (flags & PacketBuilder.FIN) != 0 && dataLength == sent;
                if (dataLength > 0 || fin) {
                    if (seq == rcvNxt) {
                        if (dataLength > 0) {
                            byte[] bytes = new byte[dataLength];
                            tcp.get(p + dataOffset, bytes);
                            rcvNxt = (rcvNxt + dataLength) & 0xffffffffL;
                            unread += dataLength;
                            if (listener != null) {
                                deliverTo = listener;
                                delivered = bytes;
                            } else {
                                pendingData.writeBytes(bytes);
                            }
                        }
                        if (fin && !peerFin) {
                            peerFin = true;
                            rcvNxt = (rcvNxt + 1) & 0xffffffffL;
                            finWanted = finWanted || !halfClose;
                            peerFinNow = true;
                        }
                    }
                    sendAck();
                    if (peerFin) {
                        pump();
                        if (finSent && sndUna == sndNxt) {
                            state = State.CLOSED;
                            cancelTimer();
                            node.forget(this);
                        }
                        if (peerFinNow && deliverTo == null) {
                            deliverTo = listener;
                        }
                    }
                }
            }
        }
        if (deliverTo != null) {
            if (delivered != null) {
                deliverTo.data(delivered);
            }
            if (closedWhy != null) {
                deliverTo.closed(closedWhy);
            } else if (peerFinNow) {
                deliverTo.peerClosed();
            }
        }
    }

    private void acknowledged(long ack, int window) {
        long acked = (ack - sndUna) & 0xffffffffL;
        long inFlight = (sndNxt - sndUna) & 0xffffffffL;
        peerWindow = window;
        if (acked > 0 && acked <= inFlight) {
            long dataAcked = acked;
            if (finSent && ack == sndNxt) {
                dataAcked--; // the FIN's own sequence number
            }
            int drop = (int) Math.min(dataAcked, unackedLength);
            System.arraycopy(unacked, drop, unacked, 0, unackedLength - drop);
            unackedLength -= drop;
            sndUna = ack;
            retries = 0;
            rto = Math.max(MIN_RTO_MS, rto / 2);
            cancelTimer();
            if (finSent && sndUna == sndNxt && peerFin) {
                state = State.CLOSED;
                node.forget(this);
                return;
            }
        }
        pump();
    }

    /** Sends what the peer's window allows, then the FIN once everything is out. */
    private void pump() {
        if (state != State.ESTABLISHED) {
            return;
        }
        long inFlight = (sndNxt - sndUna) & 0xffffffffL;
        int sent = (int) Math.min(inFlight, unackedLength);
        while (sent < unackedLength && inFlight < peerWindow) {
            int chunk = (int) Math.min(Math.min(mss, unackedLength - sent), peerWindow - inFlight);
            sendSegment(sndNxt, PacketBuilder.ACK | PacketBuilder.PSH, sent, chunk, 0);
            sndNxt = (sndNxt + chunk) & 0xffffffffL;
            sent += chunk;
            inFlight += chunk;
        }
        if (finWanted && !finSent && sent == unackedLength) {
            sendSegment(sndNxt, PacketBuilder.FIN | PacketBuilder.ACK, 0, 0, 0);
            sndNxt = (sndNxt + 1) & 0xffffffffL;
            finSent = true;
        }
        if (sndNxt != sndUna) {
            armTimer();
        } else if (peerWindow == 0 && unackedLength > 0) {
            armTimer(); // probe a closed window
        }
    }

    private void onTimeout() {
        Listener toTell = null;
        synchronized (this) {
            retransmit = null;
            if (state == State.CLOSED) {
                return;
            }
            if (++retries > (state == State.SYN_RECEIVED ? MAX_SYN_ACK_RETRIES : MAX_RETRIES)) {
                abort(state == State.SYN_SENT ? "no answer" : "the peer stopped answering", true);
                toTell = listener;
            }
        }
        if (toTell != null) {
            toTell.closed("the peer stopped answering");
            return;
        }
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            rto = Math.min(MAX_RTO_MS, rto * 2);
            if (state == State.SYN_SENT) {
                sendSegment(iss, PacketBuilder.SYN, 0, 0, ourMss);
                armTimer();
                return;
            }
            if (state == State.SYN_RECEIVED) {
                sendSynAck();
                armTimer();
                return;
            }
            // go back to the oldest unacknowledged byte and send again from there
            sndNxt = sndUna;
            finSent = false;
            if (peerWindow == 0 && unackedLength > 0) {
                sendSegment(sndNxt, PacketBuilder.ACK, 0, 1, 0);
                armTimer();
                return;
            }
            pump();
        }
    }

    private void abort(String why, boolean sendReset) {
        if (state == State.CLOSED) {
            return;
        }
        if (sendReset) {
            sendSegment(sndNxt, PacketBuilder.RST | PacketBuilder.ACK, 0, 0, 0);
        }
        state = State.CLOSED;
        cancelTimer();
        node.forget(this);
        connected.completeExceptionally(new IOException(why));
    }

    private void sendAck() {
        sendSegment(sndNxt, PacketBuilder.ACK, 0, 0, 0);
    }

    private void sendSegment(long seq, int flags, int dataOffset, int length, int mssOption) {
        long ack = (flags & PacketBuilder.SYN) != 0 && state == State.SYN_SENT ? 0 : rcvNxt;
        int fl = (flags & PacketBuilder.SYN) != 0 && state == State.SYN_SENT ? flags : flags | PacketBuilder.ACK;
        node.send(remoteIp, PacketBuilder.tcp(localIp, localPort, remoteIp, remotePort, seq, ack, fl, window(),
                mssOption, unacked, dataOffset, length));
    }

    private void armTimer() {
        if (retransmit == null && state != State.CLOSED) {
            retransmit = timer.schedule(this::onTimeout, rto, TimeUnit.MILLISECONDS);
        }
    }

    private void cancelTimer() {
        if (retransmit != null) {
            retransmit.cancel(false);
            retransmit = null;
        }
    }

    private static int peerMss(ByteBuffer tcp, int p, int dataOffset) {
        int i = p + PacketBuilder.TCP_HEADER;
        int end = p + dataOffset;
        while (i < end) {
            int kind = tcp.get(i) & 0xff;
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                break;
            }
            int len = tcp.get(i + 1) & 0xff;
            if (len < 2 || i + len > end) {
                break;
            }
            if (kind == 2 && len == 4) {
                return tcp.getShort(i + 2) & 0xffff;
            }
            i += len;
        }
        return 536;
    }
}
