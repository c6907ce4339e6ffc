package dev.golemsandbox.inet;

import dev.golemsandbox.activity.OutboundAccess;
import dev.golemsandbox.activity.OutboundGrant;
import dev.golemsandbox.net.Ipv4;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's outbound gateway, the exe-unit's network stack for VMs with outbound access: each
 * such VM gets an {@link OutboundLink} (its eth1) filtered by its agreement's grant, resolved at
 * deploy. One thread serves every link and every host socket opened for them; a timer retransmits.
 *
 * <pre>{@code
 * OutboundGateway gateway = new OutboundGateway();
 * activities.reachOutWith(gateway);
 * }</pre>
 */
public final class OutboundGateway implements OutboundAccess, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundGateway.class);

    private final OutboundFilter.HostResolver resolver;
    private final Selector selector;
    private final Thread thread;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "golem-sandbox-inet-tcp");
        t.setDaemon(true);
        return t;
    });
    /** Host lookups for unrestricted grants' DNS: a few threads, a bounded queue. */
    private final ExecutorService lookups = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), r -> {
        Thread t = new Thread(r, "golem-sandbox-inet-dns");
        t.setDaemon(true);
        return t;
    });
    private final Queue<OutboundLink> pending = new ConcurrentLinkedQueue<>();
    private final Set<OutboundLink> links = ConcurrentHashMap.newKeySet();
    private final ByteBuffer frameBuffer = ByteBuffer.allocateDirect(65536);
    private volatile boolean closed;

    public OutboundGateway() throws IOException {
        this(OutboundFilter.HostResolver.SYSTEM);
    }

    /** @param resolver resolves the grants' host names (tests answer for names of their own) */
    public OutboundGateway(OutboundFilter.HostResolver resolver) throws IOException {
        this.resolver = resolver;
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "golem-sandbox-inet");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public Link open(OutboundGrant grant, String activityId) {
        if (closed) {
            throw new IllegalArgumentException("the sandbox is shutting down");
        }
        OutboundFilter filter = OutboundFilter.of(grant, resolver, hostAddresses());
        OutboundLink link;
        try {
            link = new OutboundLink(this, filter, activityId);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open the VM's outbound link: " + e.getMessage());
        }
        links.add(link);
        pending.add(link);
        selector.wakeup();
        return link;
    }

    /** The links open now (for tests). */
    Set<OutboundLink> links() {
        return Set.copyOf(links);
    }

    Selector selector() {
        return selector;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    ExecutorService lookups() {
        return lookups;
    }

    OutboundFilter.HostResolver resolver() {
        return resolver;
    }

    /** The selector thread's buffer for one frame. */
    ByteBuffer frameBuffer() {
        return frameBuffer;
    }

    void remove(OutboundLink link) {
        links.remove(link);
    }

    /** The host's own IPv4 addresses: an unrestricted grant reaches the world, not the services of this machine. */
    private static Set<Ipv4> hostAddresses() {
        Set<Ipv4> addresses = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                nic.inetAddresses().filter(a -> a instanceof Inet4Address)
                        .forEach(a -> addresses.add(Ipv4.parse(a.getHostAddress())));
            }
        } catch (SocketException e) {
            LOG.warn("cannot list this machine's addresses: {}", e.getMessage());
        }
        return addresses;
    }

    private void loop() {
        try {
            while (!closed) {
                selector.select();
                for (OutboundLink link; (link = pending.poll()) != null; ) {
                    if (link.channel().isOpen()) {
                        link.channel().register(selector, SelectionKey.OP_READ, link);
                    }
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    ChannelHandler handler = (ChannelHandler) key.attachment();
                    try {
                        if (key.isValid()) {
                            handler.ready(key);
                        }
                    } catch (CancelledKeyException e) {
                        // closed meanwhile
                    } catch (IOException | RuntimeException e) {
                        key.cancel();
                        handler.failed(e);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (ClosedSelectorException e) {
            // closed: the loop ends
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.error("the outbound gateway stopped: {}", e.toString(), e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        List.copyOf(links).forEach(OutboundLink::close);
        timer.shutdownNow();
        lookups.shutdownNow();
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
