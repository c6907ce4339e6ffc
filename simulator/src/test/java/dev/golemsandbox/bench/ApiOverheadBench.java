package dev.golemsandbox.bench;

import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.ExeScript;
import dev.golemsandbox.client.GolemRequestor;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.identity.IdentityComponent;
import dev.golemsandbox.sandbox.Sandbox;
import dev.golemsandbox.sandbox.SandboxConfig;
import dev.golemsandbox.testing.TestRuntime;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the sandbox's request path costs (app-key check, routing among all yagna routes, the
 * activity lookup, error mapping, JSON writing): requests per second of
 * {@code GET /activity-api/v1/activity/{id}/state} of a real activity, of {@code GET /me} and of
 * the results of a finished batch of a live VM, through a whole sandbox, as a ratio to a bare
 * Javalin endpoint answering the same JSON, in the same JVM and run, loaded by {@code wrk} over
 * loopback; then exec round trips of {@code /bin/echo} per second with 1, 2 and 4 clients, each
 * with an activity of its own (an activity runs one batch at a time). With 4 cores or more, {@code wrk} and this JVM run on separate halves of them.
 *
 * <pre>
 * simulator/bench/server-overhead.sh [seconds per run] [connections]
 * </pre>
 */
public final class ApiOverheadBench {

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

    /** The body of the activity state endpoint: {"state":["Initialized",null],"reason":null,"errorMessage":null}. */
    record State(List<String> state, String reason, String errorMessage) {
        static State initialized() {
            return new State(Arrays.asList("Initialized", null), null, null);
        }
    }

    private final int seconds;
    private final int connections;
    private final List<String> wrkPrefix;

    private ApiOverheadBench(int seconds, int connections, List<String> wrkPrefix) {
        this.seconds = seconds;
        this.connections = connections;
        this.wrkPrefix = wrkPrefix;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        ApiOverheadBench bench = new ApiOverheadBench(seconds, connections, pinApart());
        AtomicReference<String> finishedBatch = new AtomicReference<>("[]");
        Javalin bare = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get("/me", ctx -> ctx.json(new IdentityComponent.Identity("0x" + "0".repeat(40), "golem-sandbox-requestor", "manager")));
            cfg.routes.get("/activity-api/v1/activity/{activityId}/state", ctx -> ctx.json(State.initialized()));
            cfg.routes.get("/activity-api/v1/activity/{activityId}/exec/{batchId}",
                    ctx -> ctx.contentType(Json.CONTENT_TYPE).result(finishedBatch.get()));
        }).start("127.0.0.1", 0);
        // A data directory of its own under target/ (mvn clean removes it), with the shared guest assets.
        SandboxHome home = TestRuntime.home(Files.createTempDirectory(Files.createDirectories(Path.of("target")), "bench-home-"));
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.defaults(home).withPort(0), line -> { })) {
            sandbox.awaitReady(Duration.ofMinutes(10));
            try (GolemRequestor requestor = GolemRequestor.connect(URI.create(sandbox.baseUrl()), sandbox.appKey());
                 Rental rental = requestor.rent(RentalSpec.imageTag("sandbox/busybox:latest"));
                 Activity activity = rental.newActivity()) {
                String bareUrl = "http://127.0.0.1:" + bare.port();
                System.out.printf("wrk: 2 threads, %d connections, %d s per run; best of 3 runs each, after a warm-up; %s%n",
                        connections, seconds, bench.wrkPrefix.isEmpty()
                                ? "not pinned apart (" + Runtime.getRuntime().availableProcessors() + " cores: too few to split)"
                                : "wrk pinned with '" + String.join(" ", bench.wrkPrefix) + "', this JVM on the other cores");
                String state = "/activity-api/v1/activity/" + activity.id() + "/state";
                bench.compare(bareUrl, sandbox, state, "/activity-api/v1/activity/{id}/state (Initialized)");
                bench.compare(bareUrl, sandbox, "/me", "/me");
                activity.deployAndStart();
                String exec = "/activity-api/v1/activity/" + activity.id() + "/exec";
                String body = "{\"text\":" + Json.mapper().writeValueAsString(new ExeScript().run("/bin/echo", "hi").toJson()) + "}";
                try (PlainHttp plain = new PlainHttp(URI.create(sandbox.baseUrl()), sandbox.appKey())) {
                    String batch = Json.mapper().readTree(plain.send("POST", exec, body)).asText();
                    String results = exec + "/" + batch + "?timeout=10";
                    finishedBatch.set(plain.send("GET", results, null));
                    bench.compare(bareUrl, sandbox, results, "/activity-api/v1/activity/{id}/exec/{batch} (finished, live VM)");
                }
                List<String> execPaths = new ArrayList<>(List.of(exec));
                List<AutoCloseable> more = new ArrayList<>();
                try {
                    for (int clients : List.of(1, 2, 4)) {
                        // An activity runs one batch at a time, as a provider's does: one activity per client.
                        while (execPaths.size() < clients) {
                            Rental another = requestor.rent(RentalSpec.imageTag("sandbox/busybox:latest"));
                            more.add(another);
                            Activity next = another.newActivity();
                            more.add(next);
                            next.deployAndStart();
                            execPaths.add("/activity-api/v1/activity/" + next.id() + "/exec");
                        }
                        bench.execRoundTrips(sandbox, execPaths.subList(0, clients), body);
                    }
                } finally {
                    Collections.reverse(more);
                    for (AutoCloseable closeable : more) {
                        closeable.close();
                    }
                }
            }
        } finally {
            bare.stop();
        }
    }

    /**
     * With 4 cores or more: this JVM (the server) on the lower half, and the prefix that runs wrk on
     * the upper half. With fewer, no pinning (an empty prefix): one core each would measure a
     * single-core server.
     */
    private static List<String> pinApart() throws IOException, InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        if (cores < 4) {
            return List.of();
        }
        int half = cores / 2;
        run(List.of("taskset", "-a", "-pc", "0-" + (half - 1), Long.toString(ProcessHandle.current().pid())));
        return List.of("taskset", "-c", half + "-" + (cores - 1));
    }

    private void compare(String bareUrl, Sandbox sandbox, String path, String label) throws IOException, InterruptedException {
        String auth = "Authorization: Bearer " + sandbox.appKey();
        wrk(bareUrl + path, null, 3);
        wrk(sandbox.baseUrl() + path, auth, 3);
        List<Double> bareRuns = new ArrayList<>();
        List<Double> sandboxRuns = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            bareRuns.add(wrk(bareUrl + path, null, seconds));
            sandboxRuns.add(wrk(sandbox.baseUrl() + path, auth, seconds));
        }
        double b = bareRuns.stream().max(Comparator.naturalOrder()).orElseThrow();
        double s = sandboxRuns.stream().max(Comparator.naturalOrder()).orElseThrow();
        System.out.printf("GET %-68s bare %8.0f req/s   sandbox %8.0f req/s   ratio %.2f   (runs: bare %s, sandbox %s)%n",
                label, b, s, s / b, format(bareRuns), format(sandboxRuns));
    }

    /** One loop of exec + results of {@code /bin/echo hi} per activity, each on its own kept-alive socket, for the run's seconds. */
    private void execRoundTrips(Sandbox sandbox, List<String> execPaths, String body) throws Exception {
        int clients = execPaths.size();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<Double>>> loops = new ArrayList<>();
            for (String exec : execPaths) {
                Callable<List<Double>> loop = () -> {
                    List<Double> trips = new ArrayList<>();
                    try (PlainHttp plain = new PlainHttp(URI.create(sandbox.baseUrl()), sandbox.appKey())) {
                        while (System.nanoTime() < end) {
                            long t0 = System.nanoTime();
                            String batch = Json.mapper().readTree(plain.send("POST", exec, body)).asText();
                            String results = plain.send("GET", exec + "/" + batch + "?timeout=10", null);
                            if (!results.contains("\"result\":\"Ok\"")) {
                                throw new IllegalStateException("/bin/echo did not finish Ok: " + results);
                            }
                            trips.add((System.nanoTime() - t0) / 1e6);
                        }
                    }
                    return trips;
                };
                loops.add(pool.submit(loop));
            }
            List<Double> all = new ArrayList<>();
            for (Future<List<Double>> loop : loops) {
                all.addAll(loop.get());
            }
            Collections.sort(all);
            System.out.printf("exec + results of /bin/echo, %d client%s, each with its live VM: %6.1f round trips/s, p50 %.1f ms, p90 %.1f ms%n",
                    clients, clients == 1 ? " " : "s", all.size() / (double) seconds,
                    all.get(all.size() / 2), all.get((int) (all.size() * 0.9)));
        } finally {
            pool.shutdownNow();
        }
    }

    private static String format(List<Double> runs) {
        return runs.stream().map(r -> String.format("%.0f", r)).toList().toString();
    }

    private double wrk(String url, String header, int runSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(wrkPrefix);
        command.addAll(List.of("wrk", "-t2", "-c" + connections, "-d" + runSeconds + "s"));
        if (header != null) {
            command.addAll(List.of("-H", header));
        }
        command.add(url);
        String out = run(command);
        if (out.contains("Non-2xx")) {
            throw new IOException("wrk saw error answers from " + url + ":\n" + out);
        }
        Matcher m = RPS.matcher(out);
        if (!m.find()) {
            throw new IOException("no Requests/sec in wrk's output:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(command.get(0) + " failed: " + out);
        }
        return out;
    }
}
