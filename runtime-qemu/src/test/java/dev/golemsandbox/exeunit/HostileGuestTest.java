package dev.golemsandbox.exeunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import dev.golemsandbox.vm.QemuVm;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Root in a real VM takes over the agent's port (a copy of PID 1's descriptor, through
 * pidfd_getfd: the port cannot be opened a second time) and writes frames an honest agent never
 * would, with the test program {@code src/test/c/hostile-guest.c}. The host must keep its heap,
 * kill that VM, end its exe-unit with a reason naming the violation, and leave another VM running
 * meanwhile untouched.
 */
class HostileGuestTest {

    private static final long HEAP_MARGIN = 256L << 20;

    @TempDir
    static Path temp;

    static QemuVmRuntime runtime;
    static Path image;
    static ExeUnit bystander;

    @BeforeAll
    static void bootBystander() throws Exception {
        image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.VOLUMES_CONFIG);
        runtime = TestRuntime.create();
        bystander = runtime.newExeUnit(image, new Resources(1, 256, 256), temp.resolve("bystander"));
        bystander.deploy();
        bystander.start();
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void aFrameClaimingTwoGibibytesKillsOnlyThatVm() throws Exception {
        Attack attack = attack("giant-length");

        assertThat(attack.reason).contains("broke the protocol")
                .contains("the hello claims 2147483616 bytes, more than the 4096 allowed")
                .contains("the VM was killed");
        assertThat(attack.heapGrowth).as("heap growth during the attack").isLessThan(HEAP_MARGIN);
    }

    @Test
    void aFloodOfNoticesForUnknownProcessesKillsOnlyThatVm() throws Exception {
        Attack attack = attack("unknown-pids");

        assertThat(attack.reason).contains("broke the protocol")
                .contains("more than 4096 notifications for processes the host did not start");
        assertThat(attack.heapGrowth).as("heap growth during the attack").isLessThan(HEAP_MARGIN);
    }

    private record Attack(String reason, long heapGrowth) {
    }

    /** Runs the hostile program as root in a fresh VM while the bystander works, and checks the aftermath. */
    private static Attack attack(String kind) throws Exception {
        ExeUnit hostile = runtime.newExeUnit(image, new Resources(1, 256, 256), temp.resolve("hostile-" + kind));
        Deployment deployment = hostile.deploy();
        Path input = deployment.volumes().stream().filter(v -> v.containerPath().equals("/golem/input"))
                .findFirst().orElseThrow().hostDir();
        Files.copy(hostileProgram(), input.resolve("hostile-guest"));
        hostile.start();
        QemuVm vm = ((QemuExeUnit) hostile).vm();
        RunningProcess working = bystander.run(RunSpec.shell(
                "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; echo still-here"), OutputListener.NONE);

        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        System.gc();
        long before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);

        RunningProcess attacker = hostile.run(RunSpec.shell(
                "cp /golem/input/hostile-guest /tmp/h && chmod 755 /tmp/h && exec /tmp/h " + kind), OutputListener.NONE);
        ExeUnitException gone = failure(attacker);

        long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        assertThat(gone).isInstanceOf(ExeUnitException.VmGone.class);
        assertThat(hostile.state()).isEqualTo(ExeUnitState.TERMINATED);
        String reason = hostile.terminationReason().orElseThrow();
        assertThat(gone.getMessage()).isEqualTo(reason);
        vm.exited().get(60, TimeUnit.SECONDS);
        assertThat(vm.isAlive()).as("the hostile VM's QEMU").isFalse();
        assertThatRunIsRefused(hostile);

        ProcessResult survived = finished(working, "the bystander's counting loop");
        assertThat(new String(survived.stdout(), StandardCharsets.UTF_8)).isEqualTo("still-here\n");
        ProcessResult after = finished(bystander.run(RunSpec.shell("echo after"), OutputListener.NONE), "the bystander's 'echo after'");
        assertThat(new String(after.stdout(), StandardCharsets.UTF_8)).isEqualTo("after\n");
        assertThat(bystander.state()).isEqualTo(ExeUnitState.READY);
        assertThat(bystander.terminationReason()).isEmpty();
        hostile.stop();
        System.out.println("[hostile-guest] " + kind + ": heap peak " + ((peak - before) >> 20) + " MiB over the "
                + (before >> 20) + " MiB in use before; " + reason);
        return new Attack(reason, peak - before);
    }

    /** The process's result; a timeout says what the bystander VM was doing. */
    private static ProcessResult finished(RunningProcess process, String what) throws Exception {
        try {
            return process.result().get(120, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            QemuVm vm = ((QemuExeUnit) bystander).vm();
            return fail(what + " did not finish within 120 s; bystander " + bystander.state().apiName()
                    + (vm == null ? "" : ", QEMU alive " + vm.isAlive() + ", console ends with: "
                    + String.join(" | ", tail(vm.consoleLog()))));
        }
    }

    private static List<String> tail(Path log) throws java.io.IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        return lines.subList(Math.max(0, lines.size() - 15), lines.size());
    }

    /** The exe-unit's failure of the attacking process; a process that simply ended means the attack never happened. */
    private static ExeUnitException failure(RunningProcess attacker) throws InterruptedException, TimeoutException {
        try {
            ProcessResult ended = attacker.result().get(180, TimeUnit.SECONDS);
            return fail("the hostile program ended with code " + ended.exitCode() + " instead of being killed with its VM: "
                    + new String(ended.stderr(), StandardCharsets.UTF_8));
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ExeUnitException.class);
            return (ExeUnitException) e.getCause();
        }
    }

    private static void assertThatRunIsRefused(ExeUnit unit) {
        try {
            unit.run(RunSpec.shell("true"), OutputListener.NONE);
            fail("a terminated exe-unit ran a process");
        } catch (ExeUnitException expected) {
            assertThat(expected).isInstanceOf(ExeUnitException.IllegalState.class);
        }
    }

    private static Path hostileProgram() throws Exception {
        URL program = HostileGuestTest.class.getResource("hostile-guest");
        if (program == null) {
            fail("hostile-guest is missing from the test classes: the build compiles it from src/test/c (generate-test-resources)");
        }
        return Path.of(program.toURI());
    }
}
