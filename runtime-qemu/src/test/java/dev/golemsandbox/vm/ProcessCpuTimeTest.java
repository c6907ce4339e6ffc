package dev.golemsandbox.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

class ProcessCpuTimeTest {

    @Test
    void addsUserAndSystemTicksEvenWhenTheCommandNameHasSpacesAndParentheses() {
        String stat = "4242 (qemu (x) 86) S 1 4242 4242 0 -1 4194560 2631 0 0 0 250 75 0 0 20 0 3 0 12345 0 0";
        assertThat(ProcessCpuTime.parse(stat)).hasValue(3.25);
    }

    @Test
    void aGoneProcessHasNoCpuTime() {
        assertThat(ProcessCpuTime.seconds(Long.MAX_VALUE)).isEmpty();
        assertThat(ProcessCpuTime.parse("garbage")).isEmpty();
    }

    /**
     * The reading of /proc for this JVM grows by at least the CPU one busy thread burns, by no more
     * than every core could give in the wall time, and agrees with the JVM's own process CPU clock.
     */
    @Test
    void theCpuTimeOfThisJvmGrowsByWhatABusyLoopBurns() {
        long pid = ProcessHandle.current().pid();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        double jvmBefore = os.getProcessCpuTime() / 1e9;
        double before = ProcessCpuTime.seconds(pid).orElseThrow();
        double jvmAfterFirstReading = os.getProcessCpuTime() / 1e9;
        assertThat(before).as("agrees with the JVM's process CPU clock").isBetween(jvmBefore - 0.1, jvmAfterFirstReading + 0.1);

        long wallStart = System.nanoTime();
        long threadStart = threads.getCurrentThreadCpuTime();
        long sink = 0;
        while (threads.getCurrentThreadCpuTime() - threadStart < 300_000_000L) {
            for (int i = 0; i < 100_000; i++) {
                sink += i * 31L ^ sink;
            }
        }
        double burnt = (threads.getCurrentThreadCpuTime() - threadStart) / 1e9;
        double wall = (System.nanoTime() - wallStart) / 1e9;
        double after = ProcessCpuTime.seconds(pid).orElseThrow();

        assertThat(sink).isNotEqualTo(42);  // keeps the loop from being optimized away
        assertThat(after - before).as("growth over a loop that burnt %.2f s of this thread's CPU", burnt)
                .isGreaterThanOrEqualTo(burnt - 0.05)
                .isLessThanOrEqualTo(wall * Runtime.getRuntime().availableProcessors() + 0.05);
    }
}
