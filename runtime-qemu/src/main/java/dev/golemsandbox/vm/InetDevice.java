package dev.golemsandbox.vm;

/**
 * The VM's outbound network card ({@code eth1} in the guest): a virtio-net device whose Ethernet
 * frames QEMU exchanges as UDP datagrams on loopback with the sandbox's gateway, one frame per
 * datagram, as ya-runtime-vm's {@code --inet-endpoint} does. Its MAC is fixed: the guest agent
 * names the card with this MAC {@code eth1} whatever order the kernel found the cards in.
 *
 * @param localPort  the loopback UDP port QEMU binds and receives frames on
 * @param remotePort the loopback UDP port QEMU sends the guest's frames to (the sandbox's gateway)
 */
public record InetDevice(int localPort, int remotePort) {

    /** Also in the guest agent ({@code NET_INET_MAC} in net.h). */
    public static final String MAC = "90:14:0a:2a:2a:02";

    public InetDevice {
        if (localPort < 1 || localPort > 65535 || remotePort < 1 || remotePort > 65535) {
            throw new IllegalArgumentException("UDP ports must be 1 to 65535: " + localPort + ", " + remotePort);
        }
    }
}
