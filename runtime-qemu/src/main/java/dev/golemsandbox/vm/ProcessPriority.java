package dev.golemsandbox.vm;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Sets the scheduling priority of every thread of a host process (Linux keeps one per thread,
 * and {@code renice} of a pid changes only its main thread), through libc's {@code setpriority}.
 */
final class ProcessPriority {

    private static final int PRIO_PROCESS = 0;

    private interface LibC extends Library {
        int setpriority(int which, int who, int prio);
    }

    private ProcessPriority() {
    }

    /** Niceness 0 for every thread of {@code pid}; false if any could not be changed. */
    static boolean reset(long pid) {
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
        List<Path> threads;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            threads = tasks.toList();
        } catch (IOException e) {
            return false;
        }
        boolean all = true;
        for (Path thread : threads) {
            try {
                all &= libc.setpriority(PRIO_PROCESS, Integer.parseInt(thread.getFileName().toString()), 0) == 0;
            } catch (NumberFormatException e) {
                all = false;
            }
        }
        return all;
    }
}
