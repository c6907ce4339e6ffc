package dev.golemsandbox.vm;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps every VM's console log under a size: whatever runs in the VM can write to its serial
 * console without end, and the log is on the host's disk. QEMU appends to the file (O_APPEND), so
 * emptying it when it passes the cap just makes it start over, with a line saying so.
 */
public final class ConsoleLogCap {

    /** More than a kernel boot and a long session of agent messages ever print. */
    public static final long MAX_BYTES = 8L << 20;

    private static final Set<Path> WATCHED = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService CHECKS = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "console-log-cap");
        thread.setDaemon(true);
        return thread;
    });

    static {
        CHECKS.scheduleWithFixedDelay(ConsoleLogCap::checkAll, 2, 2, TimeUnit.SECONDS);
    }

    private ConsoleLogCap() {
    }

    /** Watches {@code log} until {@link #forget}. */
    static void watch(Path log) {
        WATCHED.add(log);
    }

    static void forget(Path log) {
        WATCHED.remove(log);
    }

    private static void checkAll() {
        for (Path log : WATCHED) {
            try {
                enforce(log, MAX_BYTES);
            } catch (IOException e) {
                WATCHED.remove(log);
            }
        }
    }

    /** Empties {@code log} when it is larger than {@code max} bytes, leaving a line that says so. */
    static void enforce(Path log, long max) throws IOException {
        if (!Files.isRegularFile(log) || Files.size(log) <= max) {
            return;
        }
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        Files.write(log, ("[golem-sandbox: the console log passed " + max + " bytes and was emptied]\n")
                .getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    }
}
