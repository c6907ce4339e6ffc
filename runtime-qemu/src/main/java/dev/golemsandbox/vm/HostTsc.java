package dev.golemsandbox.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The host's TSC frequency. Under TCG the guest reads the host's TSC, and calibrating it against
 * the emulated PIT fails when the host is busy, which leaves the guest hanging early in boot;
 * telling the kernel the frequency ({@code tsc_early_khz=}) skips that calibration.
 *
 * <p>The rate must be the TSC's, not the CPU clock's: the guest keeps time by it, and a wrong
 * value makes its clock (and {@code sleep}) run fast or slow by the same ratio. {@code cpu MHz} in
 * /proc/cpuinfo is the current, scaled clock on hosts with frequency scaling; {@code bogomips}
 * is the host kernel's TSC rate (kHz / 500), because x86 Linux runs its delay loop on the TSC
 * once it knows the TSC's frequency. Only a constant-rate TSC ({@code constant_tsc}) is worth
 * passing on.
 */
final class HostTsc {

    private HostTsc() {
    }

    /** kHz of the host's TSC, if it runs at a constant rate the host kernel knows. */
    static OptionalLong kilohertz() {
        try {
            return kilohertz(Files.readAllLines(Path.of("/proc/cpuinfo")));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** The same, from the lines of /proc/cpuinfo. */
    static OptionalLong kilohertz(List<String> cpuinfo) {
        boolean constantTsc = false;
        double bogomips = 0;
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (key.equals("flags") && !constantTsc) {
                constantTsc = List.of(value.split("\\s+")).contains("constant_tsc");
            } else if (key.equals("bogomips") && bogomips == 0) {
                try {
                    bogomips = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return constantTsc && bogomips > 0 ? OptionalLong.of(Math.round(bogomips * 500)) : OptionalLong.empty();
    }
}
