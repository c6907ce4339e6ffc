package dev.golemsandbox.exeunit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbound card with real VMs, on a runtime that keeps a warm reserve: a unit given outbound
 * access boots a VM of its own (a reserved one has no cards) and, also when it is in a VPN, has
 * the VPN's card as eth0 and the outbound card as eth1, each with its own MAC and set up.
 */
class OutboundCardTest {

    @TempDir
    Path temp;

    private QemuVmRuntime runtime;

    @BeforeEach
    void startRuntime() throws Exception {
        runtime = TestRuntime.create();
        runtime.keepWarm(1, temp.resolve("reserve"));
    }

    @AfterEach
    void closeRuntime() {
        runtime.close();
    }

    @Test
    void aUnitWithOutboundAccessInAVpnBootsItsOwnVmWithEth0ForTheVpnAndEth1Outbound() throws Exception {
        Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.standardConfig());
        Resources shape = new Resources(1, 256, 256);
        QemuExeUnit warmup = (QemuExeUnit) runtime.newExeUnit(image, shape, Files.createDirectories(temp.resolve("warmup")));
        warmup.deploy();
        warmup.start();
        warmup.stop();
        assertThat(runtime.awaitWarm(1, Duration.ofMinutes(3))).as("the reserve holds a VM of this image").isTrue();

        QemuExeUnit unit = (QemuExeUnit) runtime.newExeUnit(image, shape, Files.createDirectories(temp.resolve("unit")));
        unit.deploy();
        // Nobody at the other end of either card: only the guest's setup is under test here.
        unit.joinNetwork(new VpnInterface("192.168.7.2", "255.255.255.0", "192.168.7.0", "192.168.7.1", Map.of(), 41001, 41002));
        unit.connectOutbound(new InetInterface(41003, 41004));
        unit.start();

        assertThat(unit.fromReserve()).as("a reserved VM has no cards: the unit booted its own").isFalse();
        ProcessResult result = unit.run(RunSpec.shell("ip addr; ip route; cat /etc/resolv.conf"), OutputListener.NONE)
                .result().get(60, TimeUnit.SECONDS);
        String text = new String(result.stdout(), StandardCharsets.UTF_8);
        assertThat(result.exitCode()).as(text).isZero();
        assertThat(text).containsPattern("eth0: [^\\n]*\\n\\s+link/ether 90:13:c0:a8:07:02")
                .containsPattern("eth1: [^\\n]*mtu 65521[^\\n]*\\n\\s+link/ether 90:14:0a:2a:2a:02")
                .contains("inet 192.168.7.2/24", "inet 10.42.42.2/24", "default via 10.42.42.1 dev eth1",
                        "192.168.7.0/24 via 192.168.7.1 dev eth0", "nameserver 10.42.42.1");
        unit.stop();
    }
}
