package dev.golemsandbox.exeunit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM killed with SIGKILL takes its QEMUs with it, those paused in its reserve too (the QEMU side's parent-death signal). */
class JvmKillTest {

    @TempDir
    Path temp;

    /**
     * The child JVM: boots one VM, prints QEMU's pid, then waits to be killed. With a third
     * argument (a reserve directory) it keeps a warm reserve and prints the pid of the VM paused
     * in it instead.
     */
    public static void main(String[] args) throws Exception {
        QemuVmRuntime runtime = TestRuntime.create();
        if (args.length > 2) {
            runtime.keepWarm(1, Path.of(args[2]));
        }
        ExeUnit unit = runtime.newExeUnit(Path.of(args[0]), Resources.DEFAULT, Path.of(args[1]));
        unit.deploy();
        unit.start();
        long pid = ((QemuExeUnit) unit).vm().pid();
        if (args.length > 2) {
            if (!runtime.awaitWarm(1, Duration.ofMinutes(3))) {
                throw new IllegalStateException("the reserve did not fill");
            }
            pid = runtime.reserve().waitingPids().get(0);
        }
        System.out.println("QEMU_PID=" + pid);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    @Test
    void killingTheOwningJvmWithSigkillLeavesNoQemu() throws Exception {
        killTheJvmOf(List.of());
    }

    @Test
    void killingTheOwningJvmWithSigkillLeavesNoReservedQemu() throws Exception {
        killTheJvmOf(List.of(temp.resolve("reserve").toString()));
    }

    private void killTheJvmOf(List<String> extraArgs) throws Exception {
        Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.standardConfig());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                JvmKillTest.class.getName(), image.toString(), temp.resolve("unit").toString()));
        command.addAll(extraArgs);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        long qemuPid = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println("[child] " + line);
                if (line.startsWith("QEMU_PID=")) {
                    qemuPid = Long.parseLong(line.substring("QEMU_PID=".length()));
                    break;
                }
            }
            assertThat(qemuPid).as("the child JVM booted a VM").isPositive();
            Optional<ProcessHandle> qemu = ProcessHandle.of(qemuPid);
            assertThat(qemu).isPresent();
            assertThat(qemu.get().info().command().orElse("")).contains("qemu-system-x86_64");

            child.destroyForcibly();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
            while (qemu.get().isAlive() && Instant.now().isBefore(deadline)) {
                qemu.get().onExit().completeOnTimeout(null, 100, TimeUnit.MILLISECONDS).join();
            }
            assertThat(qemu.get().isAlive()).as("QEMU " + qemuPid + " after SIGKILL of its JVM").isFalse();
        } finally {
            child.destroyForcibly();
            if (qemuPid > 0) {
                ProcessHandle.of(qemuPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        assertThat(List.of(child.waitFor())).containsExactly(137);
    }
}
