package dev.golemsandbox.bench;

import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.ExeScript;
import dev.golemsandbox.client.GolemRequestor;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.provider.ProviderSpec;
import dev.golemsandbox.sandbox.Sandbox;
import dev.golemsandbox.sandbox.SandboxConfig;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.testing.TestRuntime;
import dev.golemsandbox.vm.ProcessCpuTime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a requestor sees, measured through the REST API against a whole sandbox in this JVM with
 * real VMs, once with the warm reserve off and once on: rent, activity create/deploy/start/Ready,
 * exec round trips, gftp transfers, destroy, 8 activities at once, the host memory of idle VMs
 * (1 GiB and 16 GiB, before and after a command used and freed 300 MiB) and of a reserved VM, and golem-js hello end to end. Prints one table.
 *
 * <pre>
 * simulator/bench/activity-figures.sh [activities per mode] [exec round trips] [hello runs]
 * </pre>
 */
public final class ActivityFigures {

    private static final Pattern HELLO = Pattern.compile("hello: OK \\(([0-9.]+) s\\)");
    private static final Duration REFILL = Duration.ofMinutes(3);
    private static final int AT_ONCE = 8;
    private static final int TRANSFER_MIB = 100;

    private final int activities;
    private final int roundTrips;
    private final int helloRuns;
    private final Path work;
    private final Map<String, Map<String, String>> table = new LinkedHashMap<>();

    private ActivityFigures(int activities, int roundTrips, int helloRuns, Path work) {
        this.activities = activities;
        this.roundTrips = roundTrips;
        this.helloRuns = helloRuns;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        int activities = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int roundTrips = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int helloRuns = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "activity-figures-");
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        ActivityFigures bench = new ActivityFigures(activities, roundTrips, helloRuns, work);
        bench.measure("reserve off", 0);
        bench.measure("reserve on (1)", 1);
        System.out.println();
        System.out.println("golem-sandbox activity figures: " + Runtime.getRuntime().availableProcessors() + " cores, load at start "
                + load + ", at end " + Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println("image " + ImageStore.DEFAULT_IMAGE_TAG + " (cached in the provider after the first deploy), provider "
                + "shape of the default providers; times in ms, p50 / p90 over the runs named in brackets");
        bench.print();
    }

    private void measure(String mode, int warmVms) throws Exception {
        SandboxHome home = TestRuntime.home(work.resolve(warmVms == 0 ? "off" : "on"));
        SandboxConfig config = SandboxConfig.defaults(home).withPort(0).withWarmVms(warmVms)
                .withProviders(ProviderSpec.defaults(AT_ONCE));
        try (Sandbox sandbox = Sandbox.start(config, line -> { })) {
            sandbox.awaitReady(Duration.ofMinutes(10));
            put(mode, "accelerator", sandbox.runtime().accelerator().accelerator().qemuName());
            try (GolemRequestor requestor = GolemRequestor.connect(URI.create(sandbox.baseUrl()), sandbox.appKey())) {
                List<Double> rents = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    long t0 = System.nanoTime();
                    Rental r = requestor.rent(RentalSpec.imageTag(ImageStore.DEFAULT_IMAGE_TAG));
                    rents.add(ms(t0));
                    r.close();
                }
                put(mode, "rent (demand to agreement) [5]", stats(rents));
                Rental rental = requestor.rent(RentalSpec.imageTag(ImageStore.DEFAULT_IMAGE_TAG));
                activities(mode, sandbox, rental);
                rental.close();
                atOnce(mode, requestor);
            }
            memory(mode, sandbox);
            hello(mode, sandbox);
        }
    }

    /** Activities one after another on one rental; with the reserve, each after it has refilled. */
    private void activities(String mode, Sandbox sandbox, Rental rental) throws Exception {
        List<Double> create = new ArrayList<>();
        List<Double> deploy = new ArrayList<>();
        List<Double> start = new ArrayList<>();
        List<Double> ready = new ArrayList<>();
        List<Double> destroy = new ArrayList<>();
        List<Double> firstCommand = new ArrayList<>();
        for (int i = 0; i < activities; i++) {
            if (i > 0) {
                sandbox.runtime().awaitWarm(1, REFILL);
            }
            long t0 = System.nanoTime();
            Activity activity = rental.newActivity();
            double created = ms(t0);
            long t1 = System.nanoTime();
            activity.execOk(new ExeScript().deploy());
            double deployed = ms(t1);
            long t2 = System.nanoTime();
            activity.execOk(new ExeScript().start());
            double started = ms(t2);
            double total = ms(t0);
            if (i == 0) {
                put(mode, "first activity: create to Ready (image fetched into the provider cache)", fmt(total));
                roundTrips(mode, sandbox, activity);
                transfers(mode, activity);
            } else {
                create.add(created);
                deploy.add(deployed);
                start.add(started);
                ready.add(total);
                // golem-js sends its first command about a second after Ready: a refill boot may have begun by then.
                Thread.sleep(1200);
                long t4 = System.nanoTime();
                activity.execOk(new ExeScript().run("/bin/echo", "hi"));
                firstCommand.add(ms(t4));
            }
            long t3 = System.nanoTime();
            activity.close();
            destroy.add(ms(t3));
        }
        String runs = " [" + (activities - 1) + "]";
        put(mode, "later activities" + runs + ": create", stats(create));
        put(mode, "later activities" + runs + ": deploy", stats(deploy));
        put(mode, "later activities" + runs + ": start", stats(start));
        put(mode, "later activities" + runs + ": Ready (create to start done)", stats(ready));
        put(mode, "later activities" + runs + ": first /bin/echo, 1.2 s after Ready", stats(firstCommand));
        put(mode, "destroy [" + activities + "]", stats(destroy));
        // Back to back, as a test suite does: the reserve has not refilled when the next one comes.
        List<Double> backToBack = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            try (Activity activity = rental.newActivity()) {
                activity.deployAndStart();
                backToBack.add(ms(t0));
                activity.execOk(new ExeScript().run("/bin/echo", "hi"));
            }
        }
        put(mode, "back to back [3]: Ready, then one command", stats(backToBack));
    }

    /**
     * {@code /bin/echo hi} round trips through the Java client and through {@link PlainHttp},
     * alternating, so that both meet the same load: the difference is the client library's.
     */
    private void roundTrips(String mode, Sandbox sandbox, Activity activity) throws IOException {
        List<Double> trips = new ArrayList<>();
        List<Double> plainTrips = new ArrayList<>();
        String exec = "/activity-api/v1/activity/" + activity.id() + "/exec";
        String body = "{\"text\":" + Json.mapper().writeValueAsString(new ExeScript().run("/bin/echo", "hi").toJson()) + "}";
        try (PlainHttp plain = new PlainHttp(URI.create(sandbox.baseUrl()), sandbox.appKey())) {
            for (int i = 0; i < roundTrips + 5; i++) {
                long t0 = System.nanoTime();
                activity.execOk(new ExeScript().run("/bin/echo", "hi"));
                double java = ms(t0);
                long t1 = System.nanoTime();
                String batch = Json.mapper().readTree(plain.send("POST", exec, body)).asText();
                String results = plain.send("GET", exec + "/" + batch + "?timeout=10", null);
                double lean = ms(t1);
                if (!results.contains("\"isBatchFinished\":true") || !results.contains("\"result\":\"Ok\"")) {
                    throw new IllegalStateException("/bin/echo did not finish Ok: " + results);
                }
                if (i >= 5) {
                    trips.add(java);
                    plainTrips.add(lean);
                }
            }
        }
        put(mode, "exec round trip of /bin/echo (exec + results) [" + roundTrips + "]", stats(trips));
        put(mode, "the same, plain HTTP/1.1 socket as client, alternating [" + roundTrips + "]", stats(plainTrips));
    }

    private void transfers(String mode, Activity activity) throws IOException {
        Path source = work.resolve("upload.bin");
        if (!Files.exists(source)) {
            byte[] chunk = new byte[1 << 20];
            Random random = new Random(1);
            try (OutputStream out = Files.newOutputStream(source)) {
                for (int i = 0; i < TRANSFER_MIB; i++) {
                    random.nextBytes(chunk);
                    out.write(chunk);
                }
            }
        }
        long t0 = System.nanoTime();
        activity.upload(source, "/golem/input/big.bin");
        double up = ms(t0);
        Path back = work.resolve("download-" + mode.charAt(mode.length() - 2) + ".bin");
        long t1 = System.nanoTime();
        activity.download("/golem/input/big.bin", back);
        double down = ms(t1);
        if (Files.mismatch(source, back) != -1) {
            throw new IllegalStateException("the downloaded file differs from the uploaded one");
        }
        Files.delete(back);
        double megabytes = TRANSFER_MIB * 1.048576;
        put(mode, "upload 100 MiB via gftp (MB/s)", String.format("%.0f", megabytes / (up / 1000)));
        put(mode, "download 100 MiB via gftp (MB/s)", String.format("%.0f", megabytes / (down / 1000)));
    }

    /** {@link #AT_ONCE} requestors at once, each renting, creating an activity and running a command. */
    private void atOnce(String mode, GolemRequestor requestor) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(AT_ONCE);
        try {
            long t0 = System.nanoTime();
            List<Future<double[]>> runs = new ArrayList<>();
            List<ProviderSpec> fleet = ProviderSpec.defaults(AT_ONCE);
            for (int i = 1; i <= AT_ONCE; i++) {
                // One provider each: a provider runs one activity at a time.
                RentalSpec spec = RentalSpec.imageTag(ImageStore.DEFAULT_IMAGE_TAG).withProvider(fleet.get(i - 1).name());
                Callable<double[]> one = () -> {
                    try (Rental rental = requestor.rent(spec);
                         Activity activity = rental.newActivity()) {
                        activity.deployAndStart();
                        double ready = ms(t0);
                        activity.execOk(new ExeScript().run("/bin/echo", "hi"));
                        return new double[] {ready, ms(t0)};
                    }
                };
                runs.add(pool.submit(one));
            }
            double allReady = 0;
            double allRan = 0;
            for (Future<double[]> run : runs) {
                double[] times = run.get();
                allReady = Math.max(allReady, times[0]);
                allRan = Math.max(allRan, times[1]);
            }
            put(mode, AT_ONCE + " at once (rent, create, deploy, start): all Ready / all ran a command", fmt(allReady) + " / " + fmt(allRan));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Host memory of VMs. Reserve on: the VM paused in reserve. Reserve off: an idle activity VM of
     * the smallest (1 GiB) and of the largest (16 GiB) offer of the fleet, Ready with one command
     * run, and again after a command that used 300 MiB of the guest's memory and freed it.
     */
    private void memory(String mode, Sandbox sandbox) throws Exception {
        boolean reserve = sandbox.runtime().reserveCounts().isPresent();
        if (reserve) {
            sandbox.runtime().awaitWarm(1, REFILL);
            List<ProcessHandle> vms = qemus();
            double cpu0 = vms.stream().mapToDouble(p -> ProcessCpuTime.seconds(p.pid()).orElse(0)).sum();
            Thread.sleep(10_000);
            double cpu1 = vms.stream().mapToDouble(p -> ProcessCpuTime.seconds(p.pid()).orElse(0)).sum();
            put(mode, "VM paused in reserve: host RSS (MiB) / CPU over 10 s", rss(vms) + " / " + String.format("%.2f s", cpu1 - cpu0));
            return;
        }
        List<ProviderSpec> fleet = ProviderSpec.defaults(AT_ONCE);
        ProviderSpec smallest = fleet.stream().min(Comparator.comparingDouble(ProviderSpec::memGib)).orElseThrow();
        ProviderSpec largest = fleet.stream().max(Comparator.comparingDouble(ProviderSpec::memGib)).orElseThrow();
        for (ProviderSpec provider : List.of(smallest, largest)) {
            String shape = String.format("%.0f GiB", provider.memGib());
            try (GolemRequestor requestor = GolemRequestor.connect(URI.create(sandbox.baseUrl()), sandbox.appKey());
                 Rental rental = requestor.rent(RentalSpec.imageTag(ImageStore.DEFAULT_IMAGE_TAG).withProvider(provider.name()));
                 Activity activity = rental.newActivity()) {
                activity.deployAndStart();
                activity.execOk(new ExeScript().run("/bin/echo", "hi"));
                Thread.sleep(5_000);
                put(mode, "idle " + shape + " VM (Ready, one command run): host RSS / Pss / guest RAM (MiB)", memoryOf(qemus()));
                activity.execOk(new ExeScript().shell("dd if=/dev/zero of=/tmp/big bs=1M count=300 2>/dev/null && rm /tmp/big"));
                Thread.sleep(10_000);
                put(mode, "the same after 300 MiB in /tmp, removed, 10 s: host RSS / Pss / guest RAM (MiB)", memoryOf(qemus()));
            }
        }
    }

    private void hello(String mode, Sandbox sandbox) throws Exception {
        // Run from the repository (the bench script) or from simulator/ (an IDE).
        Path js = Path.of("requestor-examples", "js").toAbsolutePath();
        if (!Files.isDirectory(js)) {
            js = Path.of("..", "requestor-examples", "js").toAbsolutePath().normalize();
        }
        if (!Files.isDirectory(js.resolve("node_modules"))) {
            put(mode, "golem-js hello", "not run: npm ci in " + js);
            return;
        }
        List<Double> own = new ArrayList<>();
        List<Double> wall = new ArrayList<>();
        for (int i = 0; i < helloRuns; i++) {
            if (sandbox.runtime().reserveCounts().isPresent()) {
                // hello.mjs's image is not the one above: wait until no refill boot is under way.
                Thread.sleep(1000);
                long end = System.nanoTime() + REFILL.toNanos();
                while (System.nanoTime() < end && sandbox.runtime().reserveCounts()
                        .map(c -> c.waiting() > c.paused() || c.paused() == 0).orElse(false)) {
                    Thread.sleep(50);
                }
            }
            ProcessBuilder node = new ProcessBuilder("node", "hello.mjs").directory(js.toFile()).redirectErrorStream(true);
            node.environment().put("YAGNA_API_URL", sandbox.baseUrl());
            node.environment().put("YAGNA_APPKEY", sandbox.appKey());
            node.environment().put("GOLEM_REGISTRY_URL", sandbox.baseUrl());
            long t0 = System.nanoTime();
            Process process = node.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = process.waitFor();
            wall.add(ms(t0));
            Matcher ok = HELLO.matcher(out);
            if (code != 0 || !ok.find()) {
                throw new IllegalStateException("hello.mjs failed (exit " + code + "): " + out);
            }
            own.add(Double.parseDouble(ok.group(1)) * 1000);
        }
        put(mode, "golem-js hello, its own timer [" + helloRuns + "]", stats(own));
        put(mode, "golem-js hello, node start to exit [" + helloRuns + "]", stats(wall));
    }

    private static List<ProcessHandle> qemus() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().orElse("").contains("qemu-system")).toList();
    }

    private static String rss(List<ProcessHandle> vms) throws IOException {
        List<String> each = new ArrayList<>();
        for (ProcessHandle vm : vms) {
            each.add(Long.toString(kib(Path.of("/proc", Long.toString(vm.pid()), "status"), "VmRSS:") / 1024));
        }
        return String.join(", ", each);
    }

    /**
     * "VmRSS / Pss / RssShmem" of each VM: what ps shows, the share of it that is this VM's alone
     * (QEMU's binary, the kernel and the initramfs are mapped by every VM), the guest's RAM (a memfd).
     */
    private static String memoryOf(List<ProcessHandle> vms) throws IOException {
        List<String> each = new ArrayList<>();
        for (ProcessHandle vm : vms) {
            Path proc = Path.of("/proc", Long.toString(vm.pid()));
            each.add(kib(proc.resolve("status"), "VmRSS:") / 1024 + " / " + kib(proc.resolve("smaps_rollup"), "Pss:") / 1024
                    + " / " + kib(proc.resolve("status"), "RssShmem:") / 1024);
        }
        return String.join(", ", each);
    }

    private static long kib(Path file, String field) throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no " + field + " in " + file);
    }

    private void put(String mode, String row, String value) {
        table.computeIfAbsent(row, r -> new LinkedHashMap<>()).put(mode, value);
    }

    private void print() {
        int width = table.keySet().stream().mapToInt(String::length).max().orElse(10);
        List<String> modes = List.of("reserve off", "reserve on (1)");
        System.out.printf("%-" + width + "s | %-22s | %-22s%n", "", modes.get(0), modes.get(1));
        table.forEach((row, values) -> System.out.printf("%-" + width + "s | %-22s | %-22s%n", row,
                values.getOrDefault(modes.get(0), "-"), values.getOrDefault(modes.get(1), "-")));
    }

    private static double ms(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static String fmt(double ms) {
        return ms >= 100 ? String.format("%.0f", ms) : String.format("%.1f", ms);
    }

    private static String stats(List<Double> values) {
        if (values.isEmpty()) {
            return "-";
        }
        List<Double> sorted = values.stream().sorted().toList();
        double p50 = sorted.get((sorted.size() - 1) / 2);
        double p90 = sorted.get((int) Math.ceil(0.9 * sorted.size()) - 1);
        return fmt(p50) + " / " + fmt(p90);
    }
}
