package dev.golemsandbox.net;

import dev.golemsandbox.activity.VpnJoiner;
import dev.golemsandbox.exeunit.VpnInterface;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;

/**
 * One VM's place in a VPN: the node it is, and the UDP socket on loopback its QEMU exchanges
 * Ethernet frames with. The socket is connected to QEMU's port, so the kernel drops datagrams
 * from anyone else on the machine. Closing it takes the VM off the network.
 */
final class VmLink implements VpnJoiner.Membership {

    /** ya-runtime-vm's guest MACs: 90:13 and the address. */
    static final int GUEST_MAC_PREFIX = 0x9013;

    private final FrameRouter router;
    private final String networkId;
    private final String nodeId;
    private final Ipv4 ip;
    private final byte[] mac;
    private final DatagramChannel channel;
    private final VpnInterface vpnInterface;

    VmLink(FrameRouter router, VpnNetwork network, String nodeId, Ipv4 ip, Map<String, String> hosts) throws IOException {
        this.router = router;
        this.networkId = network.id();
        this.nodeId = nodeId;
        this.ip = ip;
        this.mac = EthernetFrame.mac(GUEST_MAC_PREFIX, ip);
        QemuDatagramPort port = QemuDatagramPort.open();
        this.channel = port.channel();
        this.vpnInterface = new VpnInterface(ip.toString(), network.range().mask().toString(),
                network.range().network().toString(), network.gateway().toString(), hosts, port.qemuPort(), port.localPort());
    }

    String networkId() {
        return networkId;
    }

    String nodeId() {
        return nodeId;
    }

    Ipv4 ip() {
        return ip;
    }

    byte[] mac() {
        return mac;
    }

    DatagramChannel channel() {
        return channel;
    }

    /** Hands one frame to the VM; a full socket buffer drops it, as a busy link would. */
    void send(ByteBuffer frame) {
        try {
            channel.write(frame.duplicate());
        } catch (IOException e) {
            // QEMU not listening (yet, or any more): the frame is lost, as on a real link.
        }
    }

    @Override
    public VpnInterface vpnInterface() {
        return vpnInterface;
    }

    @Override
    public void close() {
        router.remove(this);
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing left to do for a socket that will not close.
        }
    }
}
