package dev.golemsandbox.exeunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exe-units from deploy to death: a corrupt image, a fresh VM per activity, QEMU dying under a command. */
class ExeUnitLifecycleTest {

    @TempDir
    static Path temp;

    static Path image;
    static QemuVmRuntime runtime;

    @BeforeAll
    static void image() throws Exception {
        image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.standardConfig());
        runtime = TestRuntime.create();
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    @Test
    void imageWithABadCrcIsRefusedAtDeployBeforeAnyBoot() throws Exception {
        Path corrupt = temp.resolve("corrupt.gvmi");
        Files.copy(image, corrupt);
        String tail = new String(Files.readAllBytes(corrupt), StandardCharsets.ISO_8859_1);
        int jsonLength = Integer.parseInt(tail.substring(tail.length() - 8));
        long crcOffset = Files.size(corrupt) - 8 - jsonLength - 4;
        try (RandomAccessFile file = new RandomAccessFile(corrupt.toFile(), "rw")) {
            file.seek(crcOffset);
            int b = file.read();
            file.seek(crcOffset);
            file.write(b ^ 0xff);
        }
        Path workDir = temp.resolve("corrupt-unit");
        ExeUnit unit = runtime.newExeUnit(corrupt, Resources.DEFAULT, workDir);
        assertThatThrownBy(unit::deploy)
                .isInstanceOf(ExeUnitException.InvalidImage.class)
                .hasMessageContaining("CRC mismatch")
                .hasMessageContaining(corrupt.toString());
        assertThat(unit.state()).isEqualTo(ExeUnitState.INITIALIZED);
        assertThat(workDir.resolve("vm")).doesNotExist();
        assertThatThrownBy(unit::start).isInstanceOf(ExeUnitException.IllegalState.class);
    }

    @Test
    void runBeforeStartIsIllegal() throws Exception {
        ExeUnit unit = runtime.newExeUnit(image, Resources.DEFAULT, temp.resolve("early-unit"));
        assertThatThrownBy(() -> unit.run(RunSpec.shell("true"), OutputListener.NONE))
                .isInstanceOf(ExeUnitException.IllegalState.class)
                .hasMessageContaining("Initialized");
        Deployment deployment = unit.deploy();
        assertThat(deployment.volumes()).extracting(Volume::containerPath).containsExactlyInAnyOrder("/golem/input", "/golem/output");
        assertThat(deployment.volumes()).allSatisfy(volume -> assertThat(volume.hostDir()).isDirectory());
        assertThat(unit.terminationReason()).isEmpty();
        unit.stop();
        assertThat(unit.state()).isEqualTo(ExeUnitState.TERMINATED);
        assertThat(unit.terminationReason()).hasValue("the exe-unit was stopped");
    }

    @Test
    void aNewVmStartsFromTheImageAndAKilledQemuFailsTheRunningCommandAtOnce() throws Exception {
        try (ExeUnit first = runtime.newExeUnit(image, Resources.DEFAULT, temp.resolve("first"))) {
            first.deploy();
            first.start();
            assertThat(first.run(RunSpec.shell("echo mine > /work/only-here.txt"), OutputListener.NONE)
                    .result().get(60, TimeUnit.SECONDS).exitCode()).isZero();
        }

        ExeUnit second = runtime.newExeUnit(image, Resources.DEFAULT, temp.resolve("second"));
        second.deploy();
        second.start();
        ProcessResult probe = second.run(RunSpec.shell("test -e /work/only-here.txt"), OutputListener.NONE)
                .result().get(60, TimeUnit.SECONDS);
        assertThat(probe.exitCode()).as("file from another VM of the same image").isEqualTo(1);

        RunningProcess sleep = second.run(new RunSpec("/bin/sleep", List.of("600"), Map.of()), OutputListener.NONE);
        assertThat(second.terminationReason()).isEmpty();
        long qemuPid = ((QemuExeUnit) second).vm().pid();
        CompletableFuture<Long> failed = sleep.result().handle((r, e) -> System.nanoTime());
        long killed = System.nanoTime();
        ProcessHandle.of(qemuPid).orElseThrow().destroyForcibly();
        // The get() timeout only keeps a missed VM death from hanging the suite; the bound below is the property.
        assertThatThrownBy(() -> sleep.result().get(120, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(ExeUnitException.VmGone.class)
                .hasMessageContaining("is gone")
                .hasMessageContaining("console log");
        assertThat(Duration.ofNanos(failed.get() - killed)).as("from QEMU's death to the command's failure")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(second.state()).isEqualTo(ExeUnitState.TERMINATED);
        assertThat(second.terminationReason()).hasValueSatisfying(reason ->
                assertThat(reason).contains("is gone").contains("console log"));
        assertThatThrownBy(() -> second.run(RunSpec.shell("true"), OutputListener.NONE))
                .isInstanceOf(ExeUnitException.IllegalState.class);
        second.stop();
    }
}
