package dev.golemsandbox.cli;

import dev.golemsandbox.http.UserError;
import java.util.Locale;

/** Parses sizes such as {@code 512m}, {@code 1g} or {@code 256} (MiB) into MiB. */
final class SizeOption {

    private SizeOption() {
    }

    static long mebibytes(String option, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT).replaceAll("i?b$", "");
        long factor = 1;
        if (v.endsWith("g")) {
            factor = 1024;
            v = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(v) * factor;
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new UserError(UserError.BAD_INPUT, option + " " + value + " is not a size", "write it like 512m or 2g");
    }
}
