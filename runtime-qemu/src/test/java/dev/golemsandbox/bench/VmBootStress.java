package dev.golemsandbox.bench;

import dev.golemsandbox.agent.AgentListener;
import dev.golemsandbox.exeunit.QemuVmRuntime;
import dev.golemsandbox.testing.TestImages;
import dev.golemsandbox.testing.TestRuntime;
import dev.golemsandbox.vm.QemuVm;
import dev.golemsandbox.vm.VmBootException;
import dev.golemsandbox.vm.VmConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Boots VMs one after another while busy loops keep other cores loaded, and counts the boots
 * that do not reach a ready agent within the deadline (early boot under TCG is sensitive to a
 * busy host: timer calibration against the emulated PIT). Run by
 * {@code runtime-qemu/bench/boot-stress.sh [boots] [busy loops] [deadline seconds]},
 * defaults 40, one loop fewer than the cores, 30 s.
 */
public final class VmBootStress {


    public static void main(String[] args) throws Exception {
        int boots = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        Duration deadline = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 30);
        Path temp = Files.createTempDirectory("golem-sandbox-stress-");
        List<Process> busy = new ArrayList<>();
        try (QemuVmRuntime runtime = TestRuntime.create()) {
            Path image = TestImages.busybox(Files.createDirectories(temp.resolve("image")), TestImages.standardConfig());
            runtime.prepare();
            System.out.println("accelerator: " + runtime.accelerator() + "; " + loops + " busy loop(s); deadline " + deadline.toSeconds() + " s");
            for (int i = 0; i < loops; i++) {
                busy.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
            }
            List<Double> times = new ArrayList<>();
            int hung = 0;
            for (int i = 0; i < boots; i++) {
                VmConfig config = new VmConfig("stress-" + i, runtime.assets(), runtime.accelerator().accelerator(), image,
                        Files.createDirectories(temp.resolve("share")), 1, 256, 256, temp.resolve("vm-" + i).resolve("console.log"), false);
                long start = System.nanoTime();
                try (QemuVm vm = QemuVm.boot(config, AgentListener.IGNORE, deadline)) {
                    times.add((System.nanoTime() - start) / 1e6);
                } catch (VmBootException e) {
                    hung++;
                    System.out.println("boot " + i + " failed: " + e.getMessage());
                }
            }
            Collections.sort(times);
            System.out.printf("%d boots, %d did not reach a ready agent within %d s; ready ones p50 %.0f ms, max %.0f ms%n",
                    boots, hung, deadline.toSeconds(), times.isEmpty() ? 0 : times.get(times.size() / 2),
                    times.isEmpty() ? 0 : times.get(times.size() - 1));
        } finally {
            busy.forEach(Process::destroyForcibly);
            try (var walk = Files.walk(temp)) {
                walk.sorted(Collections.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
