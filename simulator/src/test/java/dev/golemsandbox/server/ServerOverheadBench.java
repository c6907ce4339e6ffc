package dev.golemsandbox.server;

import dev.golemsandbox.home.SandboxHome;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.golemsandbox.identity.IdentityComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures what the sandbox's request path (app-key check, routing among all yagna routes, error
 * mapping, JSON writing) costs: requests per second of cheap authenticated GETs through the full
 * server, as a ratio to a bare Javalin endpoint answering the same JSON, in the same JVM and run,
 * loaded by {@code wrk} over loopback.
 *
 * <pre>
 * simulator/bench/server-overhead.sh [seconds per run] [connections]
 * </pre>
 *
 * Routes measured: {@code GET /me} and a stand-in for {@code GET /activity-api/v1/activity/{id}/state}
 * (a component answering the constant state body, so only the server's overhead is measured).
 */
public final class ServerOverheadBench {

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    /** The body of the activity state endpoint: {"state":["Ready",null],"reason":null,"errorMessage":null}. */
    record State(List<String> state, String reason, String errorMessage) {
        static State ready() {
            return new State(Arrays.asList("Ready", null), null, null);
        }
    }

    /** The state endpoint's shape, answered by a component behind the full server stack. */
    static final class StateStandIn implements ApiComponent {
        @Override
        public String name() {
            return "activity-state-stand-in";
        }

        @Override
        public void addRoutes(JavalinConfig config) {
            config.routes.get("/activity-api/v1/activity/{activityId}/state",
                    ctx -> Json.ok(ctx, State.ready()));
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        Path home = Files.createTempDirectory("gs-bench-");
        Javalin bare = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get("/me", ctx -> ctx.json(new IdentityComponent.Identity("0x" + "0".repeat(40), "golem-sandbox-requestor", "manager")));
            cfg.routes.get("/activity-api/v1/activity/{activityId}/state", ctx -> ctx.json(State.ready()));
        }).start("127.0.0.1", 0);
        SandboxServer sandbox = SandboxServer.builder(SandboxConfig.defaults(new SandboxHome(home)).withPort(0))
                .runtimes(spec -> new FakeVmRuntime())
                .component(new StateStandIn())
                .start();
        try {
            String bareUrl = "http://127.0.0.1:" + bare.port();
            String auth = "Authorization: Bearer " + sandbox.appKey();
            System.out.printf("wrk: 2 threads, %d connections, %d s per run; best of 3 runs each, after a warm-up%n", connections, seconds);
            for (String path : List.of("/me", "/activity-api/v1/activity/0123abcd/state")) {
                wrk(bareUrl + path, null, 3, connections);
                wrk(sandbox.baseUrl() + path, auth, 3, connections);
                List<Double> bareRuns = new ArrayList<>();
                List<Double> sandboxRuns = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    bareRuns.add(wrk(bareUrl + path, null, seconds, connections));
                    sandboxRuns.add(wrk(sandbox.baseUrl() + path, auth, seconds, connections));
                }
                double b = bareRuns.stream().max(Comparator.naturalOrder()).orElseThrow();
                double s = sandboxRuns.stream().max(Comparator.naturalOrder()).orElseThrow();
                System.out.printf("GET %-45s bare %9.0f req/s   sandbox %9.0f req/s   ratio %.2f   (runs: bare %s, sandbox %s)%n",
                        path, b, s, s / b, format(bareRuns), format(sandboxRuns));
            }
        } finally {
            sandbox.close();
            bare.stop();
            try (var files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
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
