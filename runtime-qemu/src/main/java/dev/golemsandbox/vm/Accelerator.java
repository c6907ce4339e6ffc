package dev.golemsandbox.vm;

/** How QEMU runs guest code: hardware virtualization or software emulation. */
public enum Accelerator {
    /** /dev/kvm: fast, but only where the host (or the outer hypervisor) really supports it. */
    KVM("kvm"),
    /** QEMU's software emulation: slower, works everywhere. */
    TCG("tcg");

    private final String qemuName;

    Accelerator(String qemuName) {
        this.qemuName = qemuName;
    }

    /** The name {@code -accel} takes. */
    public String qemuName() {
        return qemuName;
    }
}
