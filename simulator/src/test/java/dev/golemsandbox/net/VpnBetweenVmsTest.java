package dev.golemsandbox.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.activity.VpnJoiner;
import dev.golemsandbox.activity.exescript.ExeCommand;
import dev.golemsandbox.exeunit.ExeUnit;
import dev.golemsandbox.exeunit.OutputListener;
import dev.golemsandbox.exeunit.ProcessResult;
import dev.golemsandbox.exeunit.QemuVmRuntime;
import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.RunSpec;
import dev.golemsandbox.exeunit.RunningProcess;
import dev.golemsandbox.identity.NodeId;
import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real VMs: two in one VPN reach each other by ICMP, TCP and UDP through the frame router;
 * a third, in another network over the same range, reaches neither; a node removed from the
 * network becomes unreachable at once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class VpnBetweenVmsTest {

    private static final String REQUESTOR = NodeId.derive("requestor");
    private static final String FIRST = NodeId.derive("provider-1");
    private static final String SECOND = NodeId.derive("provider-2");
    private static final String THIRD = NodeId.derive("provider-3");

    @TempDir
    static Path temp;

    static QemuVmRuntime runtime;
    static Networks networks;
    static FrameRouter router;
    static VpnNetwork cluster;
    static VpnNetwork elsewhere;
    static ExeUnit first;
    static ExeUnit second;
    static ExeUnit third;
    static final List<VpnJoiner.Membership> memberships = new ArrayList<>();

    @BeforeAll
    static void bootThreeVms() throws Exception {
        Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.VOLUMES_CONFIG);
        runtime = TestRuntime.create();
        networks = new Networks();
        router = new FrameRouter(networks);
        Ipv4Range range = Ipv4Range.parse("192.168.7.0", "255.255.255.0");
        cluster = networks.create(null, range, null);
        elsewhere = networks.create(null, range, null);
        networks.addNode(cluster.id(), REQUESTOR, Ipv4.parse("192.168.7.1"));
        networks.addNode(cluster.id(), FIRST, Ipv4.parse("192.168.7.2"));
        networks.addNode(cluster.id(), SECOND, Ipv4.parse("192.168.7.3"));
        networks.addNode(elsewhere.id(), THIRD, Ipv4.parse("192.168.7.4"));

        first = join(image, "first", cluster, FIRST, "192.168.7.2", Map.of("192.168.7.3", "second"));
        second = join(image, "second", cluster, SECOND, "192.168.7.3", Map.of());
        third = join(image, "third", elsewhere, THIRD, "192.168.7.4", Map.of());
        List<CompletableFuture<Void>> boots = new ArrayList<>();
        for (ExeUnit unit : List.of(first, second, third)) {
            boots.add(CompletableFuture.runAsync(() -> {
                try {
                    unit.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        CompletableFuture.allOf(boots.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    }

    private static ExeUnit join(Path image, String name, VpnNetwork network, String nodeId, String ip,
                                Map<String, String> hosts) throws Exception {
        ExeUnit unit = runtime.newExeUnit(image, new Resources(1, 256, 256), Files.createDirectories(temp.resolve(name)));
        unit.deploy();
        VpnJoiner.Membership membership = router.join(new ExeCommand.Deploy.Network(network.id(), "192.168.7.0",
                "255.255.255.0", "192.168.7.1", ip, Map.of()), nodeId, hosts);
        memberships.add(membership);
        unit.joinNetwork(membership.vpnInterface());
        return unit;
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        memberships.forEach(VpnJoiner.Membership::close);
        if (router != null) {
            router.close();
        }
    }

    private static ProcessResult sh(ExeUnit unit, String line) throws Exception {
        return unit.run(RunSpec.shell(line), OutputListener.NONE).result().get(3, TimeUnit.MINUTES);
    }

    private static String out(ProcessResult result) {
        return new String(result.stdout(), StandardCharsets.UTF_8) + new String(result.stderr(), StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void theVpnInterfaceHasTheRealRuntimesAddressMacMtuRouteAndHosts() throws Exception {
        ProcessResult link = sh(first, "ip addr show eth0; ip route; cat /etc/hosts; ls /sys/class/net");
        String text = out(link);
        assertThat(link.exitCode()).as(text).isZero();
        assertThat(text).contains("mtu 1220", "link/ether 90:13:c0:a8:07:02", "inet 192.168.7.2/24",
                "192.168.7.0/24 via 192.168.7.1 dev eth0  metric 101", "192.168.7.3\tsecond");
        assertThat(text.lines().filter(l -> l.equals("eth0") || l.equals("lo"))).containsExactlyInAnyOrder("eth0", "lo");
    }

    @Test
    @Order(2)
    void vmsOfOneNetworkPingEachOtherByAddressAndNameAndTheRequestorsNode() throws Exception {
        ProcessResult ping = sh(first, "ping -c 3 -W 10 192.168.7.3 && ping -c 1 -W 10 second");
        assertThat(ping.exitCode()).as(out(ping)).isZero();
        assertThat(out(ping)).contains("3 packets transmitted, 3 packets received");
        ProcessResult back = sh(second, "ping -c 2 -W 10 192.168.7.2");
        assertThat(back.exitCode()).as(out(back)).isZero();
        ProcessResult requestor = sh(second, "ping -c 2 -W 10 192.168.7.1 && ip neigh show 192.168.7.1");
        assertThat(requestor.exitCode()).as("the requestor's node answers ping: " + out(requestor)).isZero();
        assertThat(out(requestor)).contains("lladdr a0:13:c0:a8:07:01");
    }

    @Test
    @Order(3)
    void tcpCarriesBytesBothWaysBetweenThem() throws Exception {
        // busybox nc closes its socket at the end of its stdin: each side holds stdin open a while
        RunningProcess server = second.run(RunSpec.shell("(echo from-second; sleep 5) | nc -l -p 5000 > /tmp/got"), OutputListener.NONE);
        ProcessResult client = sh(first, "for i in 1 2 3 4 5 6 7 8 9 10; do "
                + "if (echo from-first; sleep 3) | nc -w 10 192.168.7.3 5000 > /tmp/reply && [ -s /tmp/reply ]; then cat /tmp/reply; exit 0; fi;"
                + " sleep 1; done; exit 1");
        assertThat(client.exitCode()).as(out(client)).isZero();
        assertThat(out(client)).contains("from-second");
        assertThat(server.result().get(2, TimeUnit.MINUTES).exitCode()).isZero();
        assertThat(out(sh(second, "cat /tmp/got"))).isEqualTo("from-first\n");
    }

    @Test
    @Order(4)
    void udpReachesTheOtherVmWhichAnswersWithPortUnreachable() throws Exception {
        // busybox's traceroute sends UDP to a closed port: the hop line needs the datagram to arrive
        // and the peer's ICMP answer to come back.
        ProcessResult trace = sh(first, "traceroute -n -q 1 -w 5 -m 1 192.168.7.3");
        assertThat(trace.exitCode()).as(out(trace)).isZero();
        assertThat(out(trace)).containsPattern("1 +192\\.168\\.7\\.3 ");
    }

    @Test
    @Order(5)
    void aVmOfAnotherNetworkReachesNeither() throws Exception {
        ProcessResult fromThird = sh(third, "ping -c 2 -W 3 192.168.7.2; ping -c 2 -W 3 192.168.7.3");
        assertThat(out(fromThird)).contains("2 packets transmitted, 0 packets received").doesNotContain(" 0% packet loss");
        ProcessResult toThird = sh(first, "ping -c 2 -W 3 192.168.7.4");
        assertThat(toThird.exitCode()).as(out(toThird)).isNotZero();
        ProcessResult tcp = sh(third, "echo x | nc -w 3 192.168.7.3 5000");
        assertThat(tcp.exitCode()).isNotZero();
    }

    @Test
    @Order(6)
    void aNodeRemovedFromTheNetworkBecomesUnreachableAndAddedBackReachable() throws Exception {
        assertThat(sh(first, "ping -c 1 -W 10 192.168.7.3").exitCode()).isZero();
        networks.removeNode(cluster.id(), SECOND);
        ProcessResult gone = sh(first, "ping -c 2 -W 3 192.168.7.3");
        assertThat(gone.exitCode()).as(out(gone)).isNotZero();
        networks.addNode(cluster.id(), SECOND, Ipv4.parse("192.168.7.3"));
        ProcessResult back = sh(first, "ping -c 1 -W 10 192.168.7.3");
        assertThat(back.exitCode()).as(out(back)).isZero();
    }
}
