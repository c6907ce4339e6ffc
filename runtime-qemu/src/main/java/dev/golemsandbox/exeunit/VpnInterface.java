package dev.golemsandbox.exeunit;

import dev.golemsandbox.vm.VpnDevice;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How an exe-unit's VM joins a VPN: the guest's eth0 gets {@code address}/{@code mask}, the MAC
 * {@code 90:13:<address bytes>} and MTU 1220 of ya-runtime-vm, a route to {@code network} via
 * {@code gateway}, and {@code hosts} appended to its {@code /etc/hosts}; its frames travel as UDP
 * datagrams between QEMU's {@code localPort} and the router's {@code routerPort} on loopback.
 *
 * @param hosts names by address, as deploy's {@code hosts} gives them (often none)
 */
public record VpnInterface(String address, String mask, String network, String gateway, Map<String, String> hosts,
                           int localPort, int routerPort) {

    private static final Pattern DOTTED = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");

    public VpnInterface {
        for (String ip : new String[]{address, mask, network, gateway}) {
            if (ip == null || !DOTTED.matcher(ip).matches()) {
                throw new IllegalArgumentException("not an IPv4 address: " + ip);
            }
        }
        hosts = Map.copyOf(hosts);
        if (localPort < 1 || localPort > 65535 || routerPort < 1 || routerPort > 65535) {
            throw new IllegalArgumentException("UDP ports must be 1 to 65535: " + localPort + ", " + routerPort);
        }
    }

    /** The guest's MAC: {@code 90:13} and the four bytes of its address, as the real runtime sets it. */
    public static String macOf(String address) {
        StringBuilder mac = new StringBuilder("90:13");
        for (String octet : address.split("\\.")) {
            mac.append(':').append(String.format("%02x", Integer.parseInt(octet)));
        }
        return mac.toString();
    }

    /** The QEMU device behind it. */
    public VpnDevice device() {
        return new VpnDevice(macOf(address), localPort, routerPort);
    }
}
