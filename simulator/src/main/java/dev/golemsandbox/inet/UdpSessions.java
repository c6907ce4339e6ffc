package dev.golemsandbox.inet;

import dev.golemsandbox.net.Ipv4;
import dev.golemsandbox.net.PacketBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A VM's UDP flows through the gateway, as the exe-unit keeps them: one host socket per (guest
 * port, destination, destination port), connected to the destination so that only its answers
 * come back, at most {@value #MAX_SESSIONS}, the least recently used closed to make room.
 */
final class UdpSessions {

    static final int MAX_SESSIONS = 200;
    /** The largest payload whose frame still fits one loopback datagram to QEMU (65507 bytes). */
    static final int MAX_PAYLOAD = 65507 - 14 - PacketBuilder.IP_HEADER - PacketBuilder.UDP_HEADER;

    record Key(int guestPort, Ipv4 destination, int destinationPort) {
    }

    private final OutboundLink link;
    private final Map<Key, Session> sessions = new LinkedHashMap<>(16, 0.75f, true);

    UdpSessions(OutboundLink link) {
        this.link = link;
    }

    /** Sends a guest's datagram to {@code target}, opening the flow's socket first if it has none. Selector thread only. */
    void send(Key key, OutboundFilter.Target target, ByteBuffer payload) throws IOException {
        Session session;
        List<Session> evicted = new ArrayList<>();
        synchronized (this) {
            session = sessions.get(key);
            if (session == null) {
                session = new Session(key, target);
                sessions.put(key, session);
                while (sessions.size() > MAX_SESSIONS) {
                    Map.Entry<Key, Session> eldest = sessions.entrySet().iterator().next();
                    sessions.remove(eldest.getKey());
                    evicted.add(eldest.getValue());
                }
            }
        }
        evicted.forEach(Session::close);
        session.channel.write(payload);
    }

    synchronized int size() {
        return sessions.size();
    }

    void closeAll() {
        List<Session> all;
        synchronized (this) {
            all = List.copyOf(sessions.values());
            sessions.clear();
        }
        all.forEach(Session::close);
    }

    private synchronized void remove(Key key, Session session) {
        sessions.remove(key, session);
    }

    /** One flow's host socket: what comes back goes to the guest from the address it sent to. */
    private final class Session implements ChannelHandler {

        private final Key key;
        private final DatagramChannel channel;

        Session(Key key, OutboundFilter.Target target) throws IOException {
            this.key = key;
            this.channel = DatagramChannel.open();
            try {
                channel.configureBlocking(false);
                channel.connect(new InetSocketAddress(target.address().toString(), target.port()));
                channel.register(link.gateway().selector(), SelectionKey.OP_READ, this);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        }

        @Override
        public void ready(SelectionKey selection) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(65536);
            for (int i = 0; i < 16; i++) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n <= 0) {
                    return;
                }
                if (n > MAX_PAYLOAD) {
                    continue; // no frame can carry it to the guest
                }
                link.sendToGuest(key.destination(), PacketBuilder.PROTO_UDP, PacketBuilder.udp(key.destination(),
                        key.destinationPort(), OutboundLink.GUEST, key.guestPort(), buffer.array(), 0, n));
            }
        }

        @Override
        public void failed(Exception cause) {
            remove(key, this);
            close();
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
