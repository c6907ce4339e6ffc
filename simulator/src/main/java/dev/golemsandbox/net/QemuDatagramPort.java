package dev.golemsandbox.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;

/**
 * The sandbox's end of a VM network card whose frames QEMU sends as UDP datagrams on loopback:
 * a non-blocking socket connected to the port QEMU will use, so the kernel drops datagrams from
 * anyone on the machine but this VM's QEMU.
 *
 * @param channel   the sandbox's socket
 * @param qemuPort  the loopback port QEMU's {@code -netdev dgram} binds
 * @param localPort the sandbox's port, where QEMU sends
 */
public record QemuDatagramPort(DatagramChannel channel, int qemuPort, int localPort) {

    /** Picks a free port for QEMU and opens the sandbox's socket connected to it. */
    public static QemuDatagramPort open() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int qemuPort = freeUdpPort(loopback);
        DatagramChannel opened = DatagramChannel.open();
        try {
            opened.bind(new InetSocketAddress(loopback, 0));
            opened.connect(new InetSocketAddress(loopback, qemuPort));
            opened.configureBlocking(false);
            return new QemuDatagramPort(opened, qemuPort, ((InetSocketAddress) opened.getLocalAddress()).getPort());
        } catch (IOException e) {
            opened.close();
            throw e;
        }
    }

    private static int freeUdpPort(InetAddress loopback) throws IOException {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(loopback, 0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }
}
