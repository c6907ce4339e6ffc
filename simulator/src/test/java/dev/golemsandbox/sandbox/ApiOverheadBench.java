package dev.golemsandbox.sandbox;

import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.GolemRequestor;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.identity.IdentityComponent;
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
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the sandbox's request path costs (app-key check, routing among all yagna routes, the
 * activity lookup, error mapping, JSON writing): requests per second of
 * {@code GET /activity-api/v1/activity/{id}/state} of a real activity, and of {@code GET /me},
 * through a whole sandbox, as a ratio to a bare Javalin endpoint answering the same JSON, in the
 * same JVM and run, loaded by {@code wrk} over loopback.
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

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        Javalin bare = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get("/me", ctx -> ctx.json(new IdentityComponent.Identity("0x" + "0".repeat(40), "golem-sandbox-requestor", "manager")));
            cfg.routes.get("/activity-api/v1/activity/{activityId}/state", ctx -> ctx.json(State.initialized()));
        }).start("127.0.0.1", 0);
        // A data directory of its own under target/ (mvn clean removes it), with the shared guest assets.
        SandboxHome home = TestRuntime.home(Files.createTempDirectory(Files.createDirectories(Path.of("target")), "bench-home-"));
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.defaults(home).withPort(0), line -> { })) {
            sandbox.awaitReady(Duration.ofMinutes(10));
            try (GolemRequestor requestor = GolemRequestor.connect(URI.create(sandbox.baseUrl()), sandbox.appKey());
                 Rental rental = requestor.rent(RentalSpec.imageTag("sandbox/busybox:latest"));
                 Activity activity = rental.newActivity()) {
                String bareUrl = "http://127.0.0.1:" + bare.port();
                String auth = "Authorization: Bearer " + sandbox.appKey();
                System.out.printf("wrk: 2 threads, %d connections, %d s per run; best of 3 runs each, after a warm-up%n", connections, seconds);
                for (String path : List.of("/activity-api/v1/activity/" + activity.id() + "/state", "/me")) {
                    String barePath = path.startsWith("/activity-api") ? "/activity-api/v1/activity/" + activity.id() + "/state" : path;
                    wrk(bareUrl + barePath, null, 3, connections);
                    wrk(sandbox.baseUrl() + path, auth, 3, connections);
                    List<Double> bareRuns = new ArrayList<>();
                    List<Double> sandboxRuns = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        bareRuns.add(wrk(bareUrl + barePath, null, seconds, connections));
                        sandboxRuns.add(wrk(sandbox.baseUrl() + path, auth, seconds, connections));
                    }
                    double b = bareRuns.stream().max(Comparator.naturalOrder()).orElseThrow();
                    double s = sandboxRuns.stream().max(Comparator.naturalOrder()).orElseThrow();
                    System.out.printf("GET %-50s bare %9.0f req/s   sandbox %9.0f req/s   ratio %.2f   (runs: bare %s, sandbox %s)%n",
                            path.replace(activity.id(), "{id}"), b, s, s / b, format(bareRuns), format(sandboxRuns));
                }
            }
        } finally {
            bare.stop();
        }
    }

    private static String format(List<Double> runs) {
        return runs.stream().map(r -> String.format("%.0f", r)).toList().toString();
    }

    private static double wrk(String url, String header, int seconds, int connections) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s"));
        if (header != null) {
            command.addAll(List.of("-H", header));
        }
        command.add(url);
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IOException("wrk failed: " + out);
        }
        if (out.contains("Non-2xx")) {
            throw new IOException("wrk saw error answers from " + url + ":\n" + out);
        }
        Matcher m = RPS.matcher(out);
        if (!m.find()) {
            throw new IOException("no Requests/sec in wrk's output:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }
}
