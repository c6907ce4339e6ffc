package dev.golemsandbox.vm;

import dev.golemsandbox.volume.ShareModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The command line of a microVM: PVH vmlinux + initramfs, no firmware, no PCI, virtio-mmio
 * devices only (the image disk, the 9p share, the agent's serial port, the VPN's and the outbound card), the serial console to a
 * file. The RTC and the PIT stay on: without the RTC the guest spends seconds probing for one
 * under TCG, and without the PIT it does not boot at all. {@code -no-reboot} is load-bearing: the
 * packed kernel and the released {@link BootFiles} are only right for a guest that is never reset.
 */
public final class QemuCommand {

    public static final String QEMU = "qemu-system-x86_64";

    /**
     * TCG's translated-code cache in MiB. QEMU's default lets it grow to 1 GiB, and an idle guest
     * holds about 40 MiB of it after boot; 16 MiB fits what boot and a running command need (at 8 the
     * cache thrashes and a {@code /bin/true} round trip takes 90 ms instead of 5).
     */
    static final int TCG_CACHE_MIB = 16;

    private QemuCommand() {
    }

    /**
     * The full command, wrapped in {@code setpriv --pdeathsig KILL} so QEMU dies with the thread
     * that started it (and so with the JVM, even on {@code kill -9}), and started with
     * {@code SIGXFSZ} ignored (an ignored signal stays ignored across exec): when the volumes'
     * quota sets QEMU's file size limit to 0, its writes fail with EFBIG instead of killing it.
     */
    static List<String> of(VmConfig config, BootFiles bootFiles, Path agentSocket) throws IOException {
        List<String> args = new ArrayList<>(List.of("sh", "-c", "trap '' XFSZ; exec \"$@\"", "sh",
                "setpriv", "--pdeathsig", "KILL", "--", QEMU));
        String accelerator = config.accelerator() == Accelerator.TCG
                ? config.accelerator().qemuName() + ",tb-size=" + TCG_CACHE_MIB
                : config.accelerator().qemuName();
        if (config.accelerator() == Accelerator.TCG) {
            // ARAT (an always-running APIC timer) lets the guest stop its periodic tick when idle:
            // without it an idle VM spends 8% of a host core on 250 timer interrupts a second.
            args.addAll(List.of("-cpu", "qemu64,+arat"));
        }
        args.addAll(List.of(
                // Guest RAM in a memfd, not anonymous memory: QEMU asks for transparent huge pages
                // on anonymous guest RAM, and then each scattered first touch of the booting guest
                // costs a whole 2 MiB page (6 MiB of an idle VM). Shared memory gets huge pages only
                // where the host opts in (shmem_enabled, "never" by default).
                "-object", "memory-backend-memfd,id=ram,size=" + config.memoryMib() + "M",
                "-M", "microvm,x-option-roms=off,isa-serial=on,rtc=on,pic=off,memory-backend=ram",
                "-accel", accelerator,
                "-nodefaults", "-no-user-config", "-nographic", "-no-reboot",
                "-m", Long.toString(config.memoryMib()),
                "-smp", Integer.toString(config.cpus()),
                "-kernel", bootFiles.kernel().toString(),
                "-initrd", bootFiles.initramfs().toString(),
                "-append", kernelCommandLine(config),
                "-chardev", "file,id=console,append=on,path=" + escape(config.consoleLog()),
                "-serial", "chardev:console"));
        if (config.image() != null) {
            args.addAll(List.of(
                    "-drive", "id=image,file=" + escape(config.image()) + ",format=raw,if=none,readonly=on",
                    "-device", "virtio-blk-device,drive=image,serial=rootfs-0"));
        }
        if (config.shareDir() != null) {
            // A mapped model, not "none": what the guest makes (links, devices, FIFOs, owners, setuid
            // bits) is recorded as metadata of plain 0600/0700 host files, never made a host object.
            ShareModel model = ShareModel.probe(config.shareDir());
            args.addAll(List.of(
                    "-fsdev", "local,id=share,path=" + escape(config.shareDir()) + ",security_model=" + model.qemuName(),
                    "-device", "virtio-9p-device,fsdev=share,mount_tag=" + VmConfig.SHARE_TAG));
        }
        if (config.vpn() != null) {
            VpnDevice vpn = config.vpn();
            args.addAll(List.of(
                    "-netdev", "dgram,id=vpn,local.type=inet,local.host=127.0.0.1,local.port=" + vpn.localPort()
                            + ",remote.type=inet,remote.host=127.0.0.1,remote.port=" + vpn.remotePort(),
                    "-device", "virtio-net-device,netdev=vpn,mac=" + vpn.mac()));
        }
        if (config.inet() != null) {
            InetDevice inet = config.inet();
            args.addAll(List.of(
                    "-netdev", "dgram,id=inet,local.type=inet,local.host=127.0.0.1,local.port=" + inet.localPort()
                            + ",remote.type=inet,remote.host=127.0.0.1,remote.port=" + inet.remotePort(),
                    "-device", "virtio-net-device,netdev=inet,mac=" + InetDevice.MAC));
        }
        args.addAll(List.of(
                // Free page reporting: the guest tells QEMU which free 2 MiB blocks it has and QEMU drops
                // them from the host, so what a finished command used (a big file in /tmp, a heap) stops
                // costing host memory. Never inflated: the guest keeps all the memory its offer states.
                "-device", "virtio-balloon-device,free-page-reporting=on",
                "-device", "virtio-serial-device,max_ports=2",
                "-chardev", "socket,id=agent,path=" + escape(agentSocket),
                "-device", "virtserialport,chardev=agent,name=" + VmConfig.AGENT_PORT,
                // Entropy from the host, as a provider's VM has it: the guest's random pool is
                // ready at boot instead of after its own jitter entropy (seconds under TCG). The
                // sandbox's kernel has the driver built in; Debian's would need virtio_rng loaded.
                "-device", "virtio-rng-device"));
        return args;
    }

    /**
     * Besides the agent's settings: {@code initcall_blacklist=tracer_init_tracefs} spares the 6.1
     * kernel from building a tracefs tree of about 10,000 inodes for its trace events (8 MiB and
     * 0.1 s of boot; tracing is not something a provider's guest offers), and
     * {@code cgroup.memory=nokmem} stops charging kernel memory to cgroups, whose per-CPU
     * bookkeeping takes 4 MiB of a 256 MiB guest (the agent makes no cgroups). The crypto
     * self-tests and the key derivation test ({@code cryptomgr.notests}, {@code crypto_kdf108_init})
     * cost 0.4 s of a TCG boot and check nothing a guest relies on. Under TCG, {@code tsc=reliable}
     * keeps the clock watchdog of a loaded host from demoting the TSC to a 4 ms jiffies clock.
     */
    static String kernelCommandLine(VmConfig config) {
        String line = "console=ttyS0 quiet panic=-1 reboot=t pci=off"
                + " initcall_blacklist=tracer_init_tracefs,crypto_kdf108_init cgroup.memory=nokmem cryptomgr.notests"
                + " gs.storage=" + config.storageMib()
                + " gs.port=" + VmConfig.AGENT_PORT
                + " gs.hostname=" + config.name().replaceAll("[^A-Za-z0-9-]", "-");
        if (config.accelerator() == Accelerator.TCG) {
            OptionalLong tscKhz = HostTsc.kilohertz();
            if (tscKhz.isPresent()) {
                line += " tsc_early_khz=" + tscKhz.getAsLong();
            }
            line += " tsc=reliable";
        }
        return config.probe() ? line + " gs.probe" : line;
    }

    /** QEMU option values separate on commas; a literal comma is written twice. */
    private static String escape(Path path) {
        return path.toAbsolutePath().toString().replace(",", ",,");
    }
}
