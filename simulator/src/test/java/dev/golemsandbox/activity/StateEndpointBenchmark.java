package dev.golemsandbox.activity;

import dev.golemsandbox.testing.ActivityHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests per second of {@code GET /activity-api/v1/activity/{id}/state} against a bare Javalin
 * endpoint answering a constant JSON body on the same server, both loaded by {@code wrk}
 * (which must be installed), alternating three rounds each. Prints each round and the ratio of
 * the medians. Run:
 *
 * <pre>
 * ./mvnw -q -pl simulator -am test-compile
 * java -cp "simulator/target/classes:simulator/target/test-classes:runtime-qemu/target/classes:$(./mvnw -q -pl simulator \
 *     dependency:build-classpath -Dmdep.outputFile=/dev/stdout)" \
 *     dev.golemsandbox.activity.StateEndpointBenchmark [seconds-per-round] [connections]
 * </pre>
 */
public final class StateEndpointBenchmark {

    private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

    private StateEndpointBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        Path dir = Files.createTempDirectory("state-benchmark");
        try (ActivityHarness sandbox = new ActivityHarness(dir, null, Duration.ofSeconds(15),
                config -> config.routes.get("/bare", ctx -> ctx.contentType("application/json")
                        .result("{\"state\":[\"Ready\",null],\"reason\":null,\"errorMessage\":null}")))) {
            String id = sandbox.ready();
            String state = sandbox.server.uri("/activity-api/v1/activity/" + id + "/state").toString();
            String bare = sandbox.server.uri("/bare").toString();
            wrk(bare, 2, connections);
            wrk(state, 2, connections);
            double[] stateRates = new double[3];
            double[] bareRates = new double[3];
            for (int round = 0; round < 3; round++) {
                bareRates[round] = wrk(bare, seconds, connections);
                stateRates[round] = wrk(state, seconds, connections);
                System.out.printf("round %d: bare %.0f req/s, state %.0f req/s%n", round + 1, bareRates[round],
                        stateRates[round]);
            }
            double ratio = median(stateRates) / median(bareRates);
            System.out.printf("median: bare %.0f req/s, state %.0f req/s, ratio %.2f%n", median(bareRates),
                    median(stateRates), ratio);
        } finally {
            DirectoryTree.deleteQuietly(dir);
        }
    }

    private static double wrk(String url, int seconds, int connections) throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", url)
                .redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        Matcher matcher = REQUESTS_PER_SECOND.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("no Requests/sec in wrk's output: " + output);
        }
        return Double.parseDouble(matcher.group(1));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
