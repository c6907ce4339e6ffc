package dev.golemsandbox.vm;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every QEMU this JVM started and has not yet seen exit, killed by a shutdown hook when the JVM
 * exits normally or on a signal. ({@code kill -9} of the JVM is covered by the QEMU side's
 * parent-death signal.)
 */
final class LiveVms {

    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> PROCESSES.forEach(Process::destroyForcibly), "qemu-reaper"));
    }

    private LiveVms() {
    }

    static void add(Process qemu) {
        PROCESSES.add(qemu);
    }

    static void remove(Process qemu) {
        PROCESSES.remove(qemu);
    }
}
