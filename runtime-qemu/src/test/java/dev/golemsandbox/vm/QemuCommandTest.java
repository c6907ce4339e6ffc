package dev.golemsandbox.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.guest.GuestAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuCommandTest {

    @TempDir
    Path temp;

    private List<String> command(Accelerator accelerator, long memoryMib) throws Exception {
        return command(accelerator, memoryMib, null, null);
    }

    private List<String> command(Accelerator accelerator, long memoryMib, VpnDevice vpn) throws Exception {
        return command(accelerator, memoryMib, vpn, null);
    }

    private List<String> command(Accelerator accelerator, long memoryMib, Path shareDir) throws Exception {
        return command(accelerator, memoryMib, null, shareDir);
    }

    private List<String> command(Accelerator accelerator, long memoryMib, VpnDevice vpn, Path shareDir) throws Exception {
        GuestAssets assets = new GuestAssets(Files.writeString(temp.resolve("vmlinux"), "kernel"),
                Files.writeString(temp.resolve("initramfs.cpio"), "initramfs"), "test");
        VmConfig config = new VmConfig("vm-1", assets, accelerator, null, shareDir, 1, memoryMib, 64,
                temp.resolve("console.log"), false, vpn);
        Path runDir = Files.createTempDirectory(temp, "run");
        return QemuCommand.of(config, BootFiles.stage(assets, runDir), runDir.resolve("agent.sock"));
    }

    private static String after(List<String> command, String option) {
        return command.get(command.indexOf(option) + 1);
    }

    @Test
    void theShareUsesAMappedModelSoGuestMadeFilesAreNeverHostLinksOrDevices() throws Exception {
        Path share = Files.createDirectories(temp.resolve("volumes"));
        String fsdev = after(command(Accelerator.TCG, 256, share), "-fsdev");
        assertThat(fsdev).contains("path=" + share.toAbsolutePath()).endsWith(",security_model=mapped-xattr")
                .doesNotContain("security_model=none").doesNotContain("passthrough");
    }

    @Test
    void theGuestGetsItsEntropyFromTheHost() throws Exception {
        assertThat(command(Accelerator.TCG, 256)).contains("virtio-rng-device");
    }

    @Test
    void tcgCapsItsCodeCacheWhileKvmIsGivenNoTcgOption() throws Exception {
        assertThat(after(command(Accelerator.TCG, 256), "-accel")).isEqualTo("tcg,tb-size=" + QemuCommand.TCG_CACHE_MIB);
        // kvm-accel has no tb-size property: QEMU would refuse to start.
        assertThat(after(command(Accelerator.KVM, 256), "-accel")).isEqualTo("kvm");
    }

    @Test
    void guestRamIsAMemfdOfExactlyTheRequestedSize() throws Exception {
        List<String> command = command(Accelerator.TCG, 384);

        // QEMU refuses a memory backend whose size differs from -m.
        assertThat(after(command, "-object")).isEqualTo("memory-backend-memfd,id=ram,size=384M");
        assertThat(after(command, "-m")).isEqualTo("384");
        assertThat(after(command, "-M")).contains("memory-backend=ram");
    }

    @Test
    void qemuBootsFromTheVmsOwnCopiesNotFromTheSharedCache() throws Exception {
        List<String> command = command(Accelerator.TCG, 256);

        Path runDir = Path.of(after(command, "-kernel")).getParent();
        assertThat(runDir).hasParent(temp);
        assertThat(Path.of(after(command, "-kernel"))).hasContent("kernel");
        assertThat(Path.of(after(command, "-initrd"))).hasParent(runDir).hasContent("initramfs");
        assertThat(command).contains("-no-reboot");
    }

    @Test
    void aVpnCardExchangesFramesAsUdpDatagramsOnLoopbackAndAVmWithoutOneHasNoNetwork() throws Exception {
        List<String> vpn = command(Accelerator.TCG, 256, new VpnDevice("90:13:c0:a8:07:02", 40001, 40002));

        assertThat(after(vpn, "-netdev")).isEqualTo("dgram,id=vpn,local.type=inet,local.host=127.0.0.1,local.port=40001"
                + ",remote.type=inet,remote.host=127.0.0.1,remote.port=40002");
        assertThat(vpn).contains("virtio-net-device,netdev=vpn,mac=90:13:c0:a8:07:02");
        List<String> none = command(Accelerator.TCG, 256);
        assertThat(none).doesNotContain("-netdev", "-nic", "-net").contains("-nodefaults");
    }

    @Test
    void anOutboundCardComesAfterTheVpnsWithTheMacTheAgentNamesEth1() throws Exception {
        GuestAssets assets = new GuestAssets(Files.writeString(temp.resolve("vmlinux"), "kernel"),
                Files.writeString(temp.resolve("initramfs.cpio"), "initramfs"), "test");
        VmConfig config = new VmConfig("vm-1", assets, Accelerator.TCG, null, null, 1, 256, 64, temp.resolve("console.log"),
                false, new VpnDevice("90:13:c0:a8:07:02", 40001, 40002), new InetDevice(40003, 40004));
        Path runDir = Files.createTempDirectory(temp, "run");
        List<String> both = QemuCommand.of(config, BootFiles.stage(assets, runDir), runDir.resolve("agent.sock"));

        assertThat(both).containsSubsequence("virtio-net-device,netdev=vpn,mac=90:13:c0:a8:07:02", "dgram,id=inet,local.type=inet,local.host=127.0.0.1,local.port=40003"
                + ",remote.type=inet,remote.host=127.0.0.1,remote.port=40004", "virtio-net-device,netdev=inet,mac=90:14:0a:2a:2a:02");
    }
}
