package dev.golemsandbox.vm;

/**
 * The VM's VPN network card: a virtio-net device whose Ethernet frames QEMU exchanges as UDP
 * datagrams on loopback, one frame per datagram, as ya-runtime-vm's {@code --vpn-endpoint} does.
 *
 * @param mac        the card's MAC address ({@code 90:13:<ip bytes>} for the real runtime)
 * @param localPort  the loopback UDP port QEMU binds and receives frames on
 * @param remotePort the loopback UDP port QEMU sends the guest's frames to (the sandbox's router)
 */
public record VpnDevice(String mac, int localPort, int remotePort) {

    public VpnDevice {
        if (!mac.matches("([0-9a-f]{2}:){5}[0-9a-f]{2}")) {
            throw new IllegalArgumentException("not a MAC address: " + mac);
        }
        if (localPort < 1 || localPort > 65535 || remotePort < 1 || remotePort > 65535) {
            throw new IllegalArgumentException("UDP ports must be 1 to 65535: " + localPort + ", " + remotePort);
        }
    }
}
