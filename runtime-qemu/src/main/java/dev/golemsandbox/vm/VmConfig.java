package dev.golemsandbox.vm;

import dev.golemsandbox.guest.GuestAssets;
import java.nio.file.Path;

/**
 * Everything one QEMU microVM is started with.
 *
 * @param name        names the VM in logs and errors
 * @param assets      kernel and initramfs
 * @param accelerator KVM or TCG
 * @param image       the GVMI file, attached read-only as the guest's /dev/vda (null for the probe)
 * @param shareDir    the host directory shared over 9p as tag {@value #SHARE_TAG} (null for none)
 * @param cpus        {@code -smp}
 * @param memoryMib   {@code -m}
 * @param storageMib  size cap of the in-RAM upper layer of the guest's root overlay
 * @param consoleLog  where the guest's serial console is written (kept for diagnosis)
 * @param probe       boot only far enough to say hello, then power off (the accelerator probe)
 * @param vpn         the VPN network card, eth0 (null for none)
 * @param inet        the outbound network card, eth1 (null for none: without either the VM has no interface but lo)
 */
public record VmConfig(String name, GuestAssets assets, Accelerator accelerator, Path image, Path shareDir,
                       int cpus, long memoryMib, long storageMib, Path consoleLog, boolean probe, VpnDevice vpn,
                       InetDevice inet) {

    /** A VM without an outbound card. */
    public VmConfig(String name, GuestAssets assets, Accelerator accelerator, Path image, Path shareDir,
                    int cpus, long memoryMib, long storageMib, Path consoleLog, boolean probe, VpnDevice vpn) {
        this(name, assets, accelerator, image, shareDir, cpus, memoryMib, storageMib, consoleLog, probe, vpn, null);
    }

    /** A VM without a network card. */
    public VmConfig(String name, GuestAssets assets, Accelerator accelerator, Path image, Path shareDir,
                    int cpus, long memoryMib, long storageMib, Path consoleLog, boolean probe) {
        this(name, assets, accelerator, image, shareDir, cpus, memoryMib, storageMib, consoleLog, probe, null, null);
    }

    /** The 9p mount tag of the share. */
    public static final String SHARE_TAG = "share0";
    /** The name of the agent's virtio-serial port. */
    public static final String AGENT_PORT = "agent0";
}
