package dev.golemsandbox.vm;

/**
 * The accelerator VMs use and why, e.g. {@code TCG: a KVM guest did not boot within 10 s}.
 */
public record AcceleratorChoice(Accelerator accelerator, String reason) {

    @Override
    public String toString() {
        return accelerator.name() + " (" + reason + ")";
    }
}
