package dev.golemsandbox.cli;

import java.util.Locale;

/** Byte counts for people: "12.3 MiB (12894720 bytes)". */
final class HumanSize {

    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

    private HumanSize() {
    }

    static String of(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s (%d bytes)", value, UNITS[unit], bytes);
    }

    /** Without the exact count, for tables. */
    static String shortly(long bytes) {
        String full = of(bytes);
        int paren = full.indexOf(" (");
        return paren < 0 ? full : full.substring(0, paren);
    }
}
