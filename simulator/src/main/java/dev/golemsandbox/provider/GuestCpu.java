package dev.golemsandbox.provider;

import java.util.List;
import java.util.Map;

/**
 * The CPU an activity's VM really gets, as ya-provider describes its host's CPU in an offer
 * ({@code golem.inf.cpu.vendor}, {@code .model}, {@code .brand}, {@code .capabilities}: the CPUID
 * vendor, "Stepping S Family F Model M", the brand string and the feature flags, named as
 * ya-provider names them). A real provider's VM runs on its host's CPU; every sandbox VM runs on
 * QEMU's {@code qemu64} model (TCG, see runtime-qemu's QemuCommand), read from a guest's
 * {@code /proc/cpuinfo}. Stating it keeps a demand for, say, {@code avx2} from matching VMs that
 * would die of an illegal instruction.
 */
final class GuestCpu {

    static final String ARCHITECTURE = "x86_64";
    static final String VENDOR = "AuthenticAMD";
    static final String MODEL = "Stepping 1 Family 15 Model 107";
    static final String BRAND = "QEMU Virtual CPU version 2.5+";

    /** CPUID leaf 1 features of qemu64 (EDX then ECX), plus the hypervisor bit every VM has. */
    static final List<String> CAPABILITIES = List.of("fpu", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic",
            "sep", "mtrr", "pge", "mca", "cmov", "pat", "pse36", "clfsh", "mmx", "fxsr", "sse", "sse2",
            "sse3", "cx16", "hypervisor");

    private GuestCpu() {
    }

    /** The {@code golem.inf.cpu.*} properties besides cores and threads. */
    static Map<String, Object> offerProperties() {
        return Map.of("golem.inf.cpu.architecture", ARCHITECTURE, "golem.inf.cpu.vendor", VENDOR,
                "golem.inf.cpu.model", MODEL, "golem.inf.cpu.brand", BRAND, "golem.inf.cpu.capabilities", CAPABILITIES);
    }
}
