package dev.golemsandbox.bench;

import dev.golemsandbox.agent.AgentException;
import dev.golemsandbox.agent.AgentListener;
import dev.golemsandbox.agent.ProcessExit;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The microVM figures: cold start to a ready agent (p50 of 10), a {@code /bin/true} round trip
 * in a booted VM (p50 of 100), and QEMU's resident memory with an idle {@code -m 256} guest.
 * Run by {@code runtime-qemu/bench/vm-bench.sh}.
 */
public final class VmBenchmark {

    private static final AgentListener IGNORE = new AgentListener() {
        @Override
        public void outputAvailable(long pid, int fd) {
        }

        @Override
        public void processDied(ProcessExit exit) {
        }

        @Override
        public void closed(AgentException.Closed cause) {
        }
    };

    public static void main(String[] args) throws Exception {
        Path temp = Files.createTempDirectory("golem-sandbox-bench-");
        try (QemuVmRuntime runtime = TestRuntime.create()) {
            Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.standardConfig());
            runtime.prepare();
            AcceleratorChoice accelerator = runtime.accelerator();
            System.out.println("accelerator: " + accelerator);
            System.out.println("guest: " + runtime.assets().version());

            List<Double> boots = new ArrayList<>();
            long rssKib = 0;
            for (int i = 0; i < 10; i++) {
                VmConfig config = new VmConfig("bench-" + i, runtime.assets(), accelerator.accelerator(), image,
                        Files.createDirectories(temp.resolve("share")), 1, 256, 256, temp.resolve("vm-" + i).resolve("console.log"), false);
                long start = System.nanoTime();
                try (QemuVm vm = QemuVm.boot(config, IGNORE, Duration.ofSeconds(60))) {
                    boots.add((System.nanoTime() - start) / 1e6);
                    if (i == 0) {
                        vm.exited().completeOnTimeout(0, 3, TimeUnit.SECONDS).join();
                        rssKib = residentKib(vm.pid());
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
            }
            System.out.printf("QEMU resident memory, idle VM with -m 256: %d MB%n", rssKib / 1024);
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

    private static long residentKib(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }
}
