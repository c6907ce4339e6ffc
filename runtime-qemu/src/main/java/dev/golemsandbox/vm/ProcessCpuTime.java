package dev.golemsandbox.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * CPU time (user + system) a host process has used, from {@code /proc/<pid>/stat}: for a VM's QEMU
 * process it is what a provider bills as {@code golem.usage.cpu_sec}.
 */
public final class ProcessCpuTime {

    /** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every architecture QEMU runs on here. */
    private static final double TICKS_PER_SECOND = 100.0;
    /** Fields 14 (utime) and 15 (stime), counted from the first field after the command name. */
    private static final int UTIME = 14 - 3;
    private static final int STIME = 15 - 3;

    private ProcessCpuTime() {
    }

    /** Seconds of CPU used so far, or empty when the process is gone or /proc cannot be read. */
    public static OptionalDouble seconds(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return OptionalDouble.empty();
        }
        return parse(stat);
    }

    static OptionalDouble parse(String stat) {
        // The command name is in parentheses and may itself contain spaces or parentheses.
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            return OptionalDouble.empty();
        }
        String[] fields = stat.substring(end + 2).trim().split(" ");
        if (fields.length <= STIME) {
            return OptionalDouble.empty();
        }
        try {
            long ticks = Long.parseLong(fields[UTIME]) + Long.parseLong(fields[STIME]);
            return OptionalDouble.of(ticks / TICKS_PER_SECOND);
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
