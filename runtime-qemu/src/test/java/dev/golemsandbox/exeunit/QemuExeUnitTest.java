package dev.golemsandbox.exeunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import dev.golemsandbox.volume.VolumeEntry;
import dev.golemsandbox.volume.VolumeFiles;
import dev.golemsandbox.volume.VolumePath;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One booted VM of the standard busybox image, shared by every test here (TCG boots cost seconds). */
class QemuExeUnitTest {

    @TempDir
    static Path temp;

    static QemuVmRuntime runtime;
    static ExeUnit unit;
    static Deployment deployment;

    @BeforeAll
    static void boot() throws Exception {
        Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.standardConfig());
        runtime = TestRuntime.create();
        unit = runtime.newExeUnit(image, new Resources(1, 256, 256), temp.resolve("unit"));
        deployment = unit.deploy();
        unit.start();
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static ProcessResult run(String entryPoint, String... args) throws Exception {
        return unit.run(new RunSpec(entryPoint, List.of(args), Map.of()), OutputListener.NONE)
                .result().get(60, TimeUnit.SECONDS);
    }

    private static ProcessResult sh(String line) throws Exception {
        return run("/bin/sh", "-c", line);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Path volume(String containerPath) {
        return deployment.volumes().stream().filter(v -> v.containerPath().equals(containerPath))
                .findFirst().orElseThrow().hostDir();
    }

    @Test
    void aVmOutsideAnyNetworkHasOnlyLoopbackAndItIsUp() throws Exception {
        ProcessResult result = sh("ls /sys/class/net; cat /sys/class/net/lo/operstate /sys/class/net/lo/flags");
        assertThat(text(result.stdout())).startsWith("lo\n");
        assertThat(text(result.stdout()).lines().skip(2).findFirst().orElseThrow()).isEqualTo("0x9");
    }

    @Test
    void echoPrintsToStdout() throws Exception {
        ProcessResult result = run("/bin/echo", "hello", "world");
        assertThat(text(result.stdout())).isEqualTo("hello world\n");
        assertThat(result.stderr()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(unit.state()).isEqualTo(ExeUnitState.READY);
    }

    @Test
    void cpuTimeOfTheVmIsMeasuredAndGrowsWithWork() throws Exception {
        double before = unit.cpuSeconds().orElseThrow();
        sh("i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done");
        double after = unit.cpuSeconds().orElseThrow();
        assertThat(before).isPositive();
        assertThat(after).isGreaterThan(before);
    }

    @Test
    void stderrIsCapturedApartFromStdout() throws Exception {
        ProcessResult result = sh("echo to-out; echo to-err >&2");
        assertThat(text(result.stdout())).isEqualTo("to-out\n");
        assertThat(text(result.stderr())).isEqualTo("to-err\n");
    }

    @Test
    void exitCodesComeBack() throws Exception {
        assertThat(sh("exit 3").exitCode()).isEqualTo(3);
        assertThat(run("/bin/false").exitCode()).isEqualTo(1);
        ProcessResult killed = sh("kill -TERM $$");
        assertThat(killed.signal()).isEqualTo(15);
        assertThat(killed.exitCode()).isEqualTo(128 + 15);
    }

    @Test
    void imageEnvAndWorkingDirApplyAndRunEnvIsAdded() throws Exception {
        ProcessResult result = unit.run(new RunSpec("/bin/sh", List.of("-c", "echo $GREETING $EXTRA; pwd"),
                Map.of("EXTRA", "there")), OutputListener.NONE).result().get(60, TimeUnit.SECONDS);
        assertThat(text(result.stdout())).isEqualTo("hello there\n/work\n");
    }

    @Test
    void imageUserIsResolvedThroughPasswd() throws Exception {
        assertThat(text(run("/usr/bin/id", "-u").stdout())).isEqualTo("1000\n");
        assertThat(text(run("/usr/bin/id", "-g").stdout())).isEqualTo("1000\n");
    }

    @Test
    void missingProgramFailsWithTheReason() {
        assertThatThrownBy(() -> run("/bin/no-such-program"))
                .isInstanceOf(ExeUnitException.class)
                .hasMessageContaining("/bin/no-such-program")
                .hasMessageContaining("No such file");
    }

    @Test
    void fileWrittenOutsideVolumesSurvivesToTheNextCommand() throws Exception {
        assertThat(sh("echo kept > /work/state.txt").exitCode()).isZero();
        assertThat(text(sh("cat /work/state.txt").stdout())).isEqualTo("kept\n");
    }

    @Test
    void volumeWritesLandInTheHostDirectoryAndBack() throws Exception {
        assertThat(sh("echo from-vm > /golem/output/result.txt").exitCode()).isZero();
        assertThat(Files.readString(volume("/golem/output").resolve("result.txt"))).isEqualTo("from-vm\n");

        Files.writeString(volume("/golem/input").resolve("task.txt"), "from-host\n");
        assertThat(text(sh("cat /golem/input/task.txt").stdout())).isEqualTo("from-host\n");
    }

    @Test
    void containerPathsMapIntoVolumesAndNeverOut() throws Exception {
        Files.writeString(unit.hostPathOf("/golem/input/upload.txt"), "uploaded\n");
        assertThat(text(sh("cat /golem/input/upload.txt").stdout())).isEqualTo("uploaded\n");

        assertThat(sh("echo produced > /golem/output/download.txt").exitCode()).isZero();
        assertThat(Files.readString(unit.hostPathOf("container:/golem/output/download.txt"))).isEqualTo("produced\n");

        assertThatThrownBy(() -> unit.hostPathOf("/etc/passwd"))
                .isInstanceOf(ExeUnitException.PathNotFound.class)
                .hasMessage("path not found in container: /etc/passwd");
        assertThatThrownBy(() -> unit.hostPathOf("/golem/input/../output/download.txt"))
                .isInstanceOf(ExeUnitException.PathNotFound.class);
        assertThatThrownBy(() -> unit.hostPathOf("/golem/input/../../../etc/passwd"))
                .isInstanceOf(ExeUnitException.PathNotFound.class);

        assertThat(sh("ln -s / /golem/output/escape").exitCode()).isZero();
        assertThat(text(sh("readlink /golem/output/escape").stdout())).isEqualTo("/\n");
        VolumePath escape = unit.volumePathOf("/golem/output/escape");
        // 9p keeps the guest's link as a plain host file: there is no host link to follow.
        assertThat(Files.isSymbolicLink(escape.hostPath())).isFalse();
        try (VolumeFiles files = VolumeFiles.open(escape.volumeDir())) {
            try (VolumeEntry link = files.resolve(escape.relative())) {
                assertThat(link.kind()).isEqualTo(VolumeEntry.Kind.SYMLINK);
                assertThat(link.linkTarget()).isEqualTo("/");
            }
            assertThatThrownBy(() -> files.resolve("escape/etc/passwd")).hasMessageContaining("is in the way");
        }
    }

    @Test
    void oneMebibyteOfOutputArrivesIntactThroughTheListenerAndIsNotKeptTwice() throws Exception {
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        OutputListener listener = new OutputListener() {
            @Override
            public synchronized void stdout(byte[] chunk) {
                streamed.writeBytes(chunk);
            }

            @Override
            public void stderr(byte[] chunk) {
            }
        };
        ProcessResult result = unit.run(RunSpec.shell(
                "head -c 1048576 /dev/urandom > /golem/output/random.bin && cat /golem/output/random.bin"), listener)
                .result().get(120, TimeUnit.SECONDS);
        byte[] expected = Files.readAllBytes(volume("/golem/output").resolve("random.bin"));
        assertThat(expected).hasSize(1 << 20);
        assertThat(result.stdout()).as("a listener consumes the output: the result does not hold it a second time").isEmpty();
        assertThat(result.stdoutTruncated()).isFalse();
        synchronized (listener) {
            assertThat(streamed.toByteArray()).isEqualTo(expected);
        }
    }

    @Test
    void a64MebibyteVolumeWriteDoesNotGrowGuestMemoryUse() throws Exception {
        long shmemBefore = meminfo("Shmem");
        long availableBefore = meminfo("MemAvailable");
        assertThat(sh("dd if=/dev/zero of=/golem/output/big.bin bs=1048576 count=64 2>/dev/null && sync").exitCode()).isZero();
        assertThat(Files.size(volume("/golem/output").resolve("big.bin"))).isEqualTo(64L << 20);
        assertThat(meminfo("Shmem") - shmemBefore).isLessThan(8L << 20);
        assertThat(availableBefore - meminfo("MemAvailable")).isLessThan(24L << 20);
    }

    private static long meminfo(String field) throws Exception {
        for (String line : text(run("/bin/cat", "/proc/meminfo").stdout()).split("\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        throw new AssertionError("no " + field + " in /proc/meminfo");
    }

    @Test
    void killStopsARunningSleep() throws Exception {
        RunningProcess sleep = unit.run(new RunSpec("/bin/sleep", List.of("600"), Map.of()), OutputListener.NONE);
        assertThat(sleep.result()).isNotDone();
        CompletableFuture<Long> ended = sleep.result().handle((r, e) -> System.nanoTime());
        long start = System.nanoTime();
        sleep.kill(9);
        // The generous get() only keeps a broken kill from hanging the suite; the bound below is the property.
        ProcessResult result = sleep.result().get(120, TimeUnit.SECONDS);
        assertThat(result.signal()).isEqualTo(9);
        assertThat(result.exitCode()).isEqualTo(137);
        assertThat(Duration.ofNanos(ended.get() - start)).as("from kill to the result").isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void severalProcessesRunAtOnce() throws Exception {
        RunningProcess waiter = unit.run(RunSpec.shell("while [ ! -e /tmp/go ]; do sleep 0.05; done; echo released"),
                OutputListener.NONE);
        assertThat(sh("touch /tmp/go").exitCode()).isZero();
        assertThat(text(waiter.result().get(60, TimeUnit.SECONDS).stdout())).isEqualTo("released\n");
    }

    @Test
    void theRunningVmKeepsNoPageOfItsKernelOrInitramfsFiles() throws Exception {
        long qemu = ((QemuExeUnit) unit).vm().pid();
        long bootFilePages = 0;
        String mapping = "";
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(qemu), "smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                mapping = line;
            } else if (line.startsWith("Rss:") && mapping.matches(".*/golem-vm-[^/]+/(kernel|initramfs)( \\(deleted\\))?$")) {
                bootFilePages += Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        assertThat(bootFilePages).as("kB of the boot files resident in QEMU").isZero();
        assertThat(text(sh("echo still running").stdout())).isEqualTo("still running\n");
    }
}
