package dev.golemsandbox.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The host's TSC frequency. Under TCG the guest reads the host's TSC, and calibrating it against
 * the emulated PIT fails when the host is busy, which leaves the guest hanging early in boot;
 * telling the kernel the frequency ({@code tsc_early_khz=}) skips that calibration.
 */
final class HostTsc {

    private HostTsc() {
    }

    /** kHz from the first "cpu MHz" line of /proc/cpuinfo, if there is one. */
    static OptionalLong kilohertz() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("cpu MHz")) {
                    double mhz = Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
                    return mhz > 0 ? OptionalLong.of(Math.round(mhz * 1000)) : OptionalLong.empty();
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
