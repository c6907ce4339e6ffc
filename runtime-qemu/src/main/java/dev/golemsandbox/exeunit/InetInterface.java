package dev.golemsandbox.exeunit;

import dev.golemsandbox.vm.InetDevice;

/**
 * How an exe-unit's VM reaches outside: as the exe-unit sets it up, the guest's eth1 gets
 * {@value #GUEST_ADDRESS}/24, a default route via the gateway {@value #GATEWAY}, and the gateway
 * as its name server; its frames travel as UDP datagrams between QEMU's {@code localPort} and
 * the gateway's {@code gatewayPort} on loopback, where the sandbox decides what gets through.
 */
public record InetInterface(int localPort, int gatewayPort) {

    public static final String GUEST_ADDRESS = "10.42.42.2";
    public static final String GATEWAY = "10.42.42.1";
    public static final String MASK = "255.255.255.0";

    public InetInterface {
        if (localPort < 1 || localPort > 65535 || gatewayPort < 1 || gatewayPort > 65535) {
            throw new IllegalArgumentException("UDP ports must be 1 to 65535: " + localPort + ", " + gatewayPort);
        }
    }

    /** The QEMU device behind it. */
    public InetDevice device() {
        return new InetDevice(localPort, gatewayPort);
    }
}
