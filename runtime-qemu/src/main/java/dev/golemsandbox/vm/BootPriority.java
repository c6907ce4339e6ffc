package dev.golemsandbox.vm;

/**
 * The host scheduling priority of one VM's QEMU: a boot nobody waits for (a VM for the warm
 * reserve) starts niced, so it never slows anything else down, and is raised to normal the moment
 * someone waits for it. Raising needs privileges an ordinary user lacks; without them QEMU keeps
 * its niceness (best effort).
 *
 * <pre>{@code
 * BootPriority priority = BootPriority.background(10);
 * QemuVm vm = QemuVm.boot(config, listener, deadline, priority);   // on a background thread
 * priority.raise();                                                 // from any thread, any time
 * }</pre>
 */
public final class BootPriority {

    private final int niceness;
    private long pid = -1;
    private boolean raised;

    private BootPriority(int niceness) {
        this.niceness = niceness;
    }

    /** QEMU at the JVM's own priority. */
    public static BootPriority normal() {
        return new BootPriority(0);
    }

    /** QEMU at {@code niceness} until {@link #raise}. */
    public static BootPriority background(int niceness) {
        return new BootPriority(niceness);
    }

    /** The niceness QEMU is started with. */
    synchronized int niceness() {
        return raised ? 0 : niceness;
    }

    /** QEMU runs as {@code qemuPid}: a raise asked for meanwhile is applied now. */
    void started(long qemuPid) {
        boolean apply;
        synchronized (this) {
            pid = qemuPid;
            apply = raised && niceness > 0;
        }
        if (apply) {
            ProcessPriority.reset(qemuPid);
        }
    }

    /** Gives every thread of QEMU normal priority (now, or as soon as it starts). Idempotent. */
    public boolean raise() {
        long known;
        synchronized (this) {
            raised = true;
            known = pid;
        }
        return niceness == 0 || known < 0 || ProcessPriority.reset(known);
    }
}
