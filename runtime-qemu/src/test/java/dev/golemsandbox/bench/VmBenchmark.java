package dev.golemsandbox.bench;

import dev.golemsandbox.agent.AgentListener;
import dev.golemsandbox.exeunit.ExeUnit;
import dev.golemsandbox.exeunit.OutputListener;
import dev.golemsandbox.exeunit.QemuVmRuntime;
import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.RunSpec;
import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import dev.golemsandbox.vm.AcceleratorChoice;
import dev.golemsandbox.vm.QemuVm;
import dev.golemsandbox.vm.VmConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The microVM figures: cold start to a ready agent (p50 of 10), a {@code /bin/true} round trip
 * in a booted VM (p50 of 100), and QEMU's resident memory with a {@code -m 256} guest, idle 3 s
 * after boot and again after the round trips: what {@code ps} shows as RSS, and its parts from
 * {@code /proc/<pid>/status} (anonymous: TCG's code cache and QEMU's heap; file: QEMU's binary
 * and libraries; shmem: guest RAM, a memfd). Run by {@code runtime-qemu/bench/vm-bench.sh}.
 */
public final class VmBenchmark {


    public static void main(String[] args) throws Exception {
        Path temp = Files.createTempDirectory("golem-sandbox-bench-");
        try (QemuVmRuntime runtime = TestRuntime.create()) {
            Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.standardConfig());
            runtime.prepare();
            AcceleratorChoice accelerator = runtime.accelerator();
            System.out.println("accelerator: " + accelerator);
            System.out.println("guest: " + runtime.assets().version());

            List<Double> boots = new ArrayList<>();
            String idleMemory = null;
            for (int i = 0; i < 10; i++) {
                VmConfig config = new VmConfig("bench-" + i, runtime.assets(), accelerator.accelerator(), image,
                        Files.createDirectories(temp.resolve("share")), 1, 256, 256, temp.resolve("vm-" + i).resolve("console.log"), false);
                long start = System.nanoTime();
                try (QemuVm vm = QemuVm.boot(config, AgentListener.IGNORE, Duration.ofSeconds(60))) {
                    boots.add((System.nanoTime() - start) / 1e6);
                    if (i == 0) {
                        stayIdle(vm, Duration.ofSeconds(3));
                        idleMemory = residentMemory(vm.pid());
                    }
                }
            }
            System.out.printf("cold start to agent ready (p50 of 10): %.0f ms   [min %.0f, max %.0f]%n",
                    p50(boots), Collections.min(boots), Collections.max(boots));

            try (ExeUnit unit = runtime.newExeUnit(image, new Resources(1, 256, 256), temp.resolve("unit"))) {
                unit.deploy();
                unit.start();
                RunSpec spec = new RunSpec("/bin/true", List.of(), Map.of());
                for (int i = 0; i < 10; i++) {
                    unit.run(spec, OutputListener.NONE).result().get(30, TimeUnit.SECONDS);
                }
                List<Double> trips = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    long start = System.nanoTime();
                    unit.run(spec, OutputListener.NONE).result().get(30, TimeUnit.SECONDS);
                    trips.add((System.nanoTime() - start) / 1e6);
                }
                System.out.printf("run /bin/true round trip (p50 of 100): %.1f ms   [min %.1f, max %.1f]%n",
                        p50(trips), Collections.min(trips), Collections.max(trips));
                System.out.println("QEMU resident memory, -m 256, idle 3 s after boot:  " + idleMemory);
                System.out.println("QEMU resident memory, -m 256, after 110 round trips: "
                        + residentMemory(onlyQemu()));
            }
        } finally {
            try (var walk = Files.walk(temp)) {
                walk.sorted(Collections.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static double p50(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** The one QEMU this JVM runs (the exe-unit keeps its VM to itself). */
    private static long onlyQemu() {
        List<ProcessHandle> qemus = ProcessHandle.current().descendants()
                .filter(process -> process.info().command().orElse("").endsWith("qemu-system-x86_64")).toList();
        if (qemus.size() != 1) {
            throw new IllegalStateException("expected one QEMU, found " + qemus.size());
        }
        return qemus.get(0).pid();
    }

    /** Leaves the VM alone for {@code time}; a VM that exits meanwhile fails the benchmark. */
    private static void stayIdle(QemuVm vm, Duration time) throws Exception {
        try {
            int code = vm.exited().get(time.toMillis(), TimeUnit.MILLISECONDS);
            throw new IllegalStateException("QEMU exited with code " + code + " while idle");
        } catch (TimeoutException e) {
            // Still running after the idle time, as wanted.
        }
    }

    /** "ps RSS 138 MiB (RssAnon 34 MiB, RssFile 21 MiB, RssShmem 82 MiB)". */
    private static String residentMemory(long pid) throws Exception {
        Process ps = new ProcessBuilder("ps", "-o", "rss=", "-p", Long.toString(pid)).redirectErrorStream(true).start();
        String psKib = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (ps.waitFor() != 0 || !psKib.matches("\\d+")) {
            throw new IllegalStateException("ps could not report on process " + pid + ": " + psKib);
        }
        Map<String, Long> status = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Rss")) {
                status.put(line.substring(0, line.indexOf(':')), Long.parseLong(line.replaceAll("\\D+", "")));
            }
        }
        return String.format("ps RSS %d MiB (RssAnon %d MiB, RssFile %d MiB, RssShmem %d MiB)", Long.parseLong(psKib) / 1024,
                status.get("RssAnon") / 1024, status.get("RssFile") / 1024, status.get("RssShmem") / 1024);
    }
}
