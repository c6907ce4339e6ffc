package dev.golemsandbox.exeunit;

/**
 * The size of one activity's VM, from the agreement's {@code golem.inf.*} properties.
 *
 * @param cpuThreads  {@code -smp}
 * @param memoryMib   {@code -m}
 * @param storageMib  cap of the in-RAM overlay upper layer (files written outside volumes), and of what
 *                    the volumes together hold on the host's disk
 */
public record Resources(int cpuThreads, long memoryMib, long storageMib) {

    /** One thread, 512 MiB, 512 MiB of overlay: enough for shell work in small images. */
    public static final Resources DEFAULT = new Resources(1, 512, 512);

    public Resources {
        if (cpuThreads < 1) {
            throw new IllegalArgumentException("cpu threads must be at least 1, got " + cpuThreads);
        }
        if (memoryMib < 64) {
            throw new IllegalArgumentException("memory must be at least 64 MiB, got " + memoryMib);
        }
        if (storageMib < 1) {
            throw new IllegalArgumentException("storage must be at least 1 MiB, got " + storageMib);
        }
    }
}
