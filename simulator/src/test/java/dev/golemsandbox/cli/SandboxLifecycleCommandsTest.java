package dev.golemsandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.GolemRequestor;
import dev.golemsandbox.client.Rental;
import dev.golemsandbox.client.RentalSpec;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.testing.TestRuntime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands around a running sandbox, as a user types them: {@code up --detach}, status, wait,
 * env, replay, recordings, logs, down; a second {@code up} on the same data directory or a busy
 * port; and Ctrl-C (SIGTERM) of a foreground {@code up}, which must leave no VM behind.
 */
class SandboxLifecycleCommandsTest {

    @TempDir
    Path dir;

    @Test
    void detachedSandboxIsDrivenByTheOtherCommandsAndStopsWithDown() throws Exception {
        SandboxHome home = TestRuntime.home(dir.resolve("home"));
        String dataDir = home.root().toString();
        try {
            // Port 0: the sandbox binds a free port itself and says which; no probe-then-bind race.
            CliRun up = CliRun.of("up", "--detach", "--record", "--port", "0", "--data-dir", dataDir);
            assertThat(up.exitCode()).as(up.toString()).isZero();
            RunningSandbox running = RunningSandbox.find(home).orElseThrow();
            long pid = running.pid();
            int port = URI.create(running.baseUrl()).getPort();
            assertThat(port).isPositive();
            assertThat(up.out()).startsWith("export YAGNA_API_URL=http://127.0.0.1:" + port + " YAGNA_APPKEY=");

            CliRun status = CliRun.of("status", "--data-dir", dataDir);
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.out()).contains("running at http://127.0.0.1:" + port).contains("ready:       yes").contains("warm VMs:    0 paused")
                    .contains("provider:    alder      1 thread, 1 GiB, 8 GiB storage; 0.1 / 0.02 / 0 GLM; vpn, inet, manifest-support; 90 / 0 / 240 / 60 s; outbound everyone whitelist (18 domains); 0 of 1 in use")
                    .contains("activities:  0 running, 0 in all")
                    .contains("dashboard:   http://127.0.0.1:" + port + "/_sandbox/dashboard/#key=" + running.appKey());
            assertThat(up.err()).contains("dashboard: http://127.0.0.1:" + port + "/_sandbox/dashboard/#key=" + running.appKey());
            assertThat(CliRun.of("wait", "--timeout", "30", "--data-dir", dataDir).exitCode()).isZero();

            CliRun fault = CliRun.of("fault", "add", "slow-exec", "--latency-ms", "10", "--provider", "alder", "--data-dir", dataDir);
            assertThat(fault.exitCode()).as(fault.toString()).isZero();
            String faultId = fault.out().trim();
            assertThat(CliRun.of("fault", "ls", "--data-dir", dataDir).out())
                    .contains(faultId + "  slow-exec        fired 0  provider=alder latencyMs=10");
            CliRun unknown = CliRun.of("fault", "add", "meteor", "--data-dir", dataDir);
            assertThat(unknown.exitCode()).isEqualTo(UserError.BAD_INPUT);
            assertThat(unknown.err().strip()).startsWith("error: unknown fault \"meteor\"").doesNotContain("\n").doesNotContain("Exception");
            assertThat(CliRun.of("fault", "rm", faultId, "--data-dir", dataDir).exitCode()).isZero();
            assertThat(CliRun.of("fault", "rm", faultId, "--data-dir", dataDir).exitCode()).isEqualTo(UserError.BAD_INPUT);
            assertThat(CliRun.of("env", "--data-dir", dataDir).out().trim()).isEqualTo(up.out().trim());
            assertThat(up.out().trim()).as("golem-js 2.x finds the sandbox's gftp on PATH")
                    .endsWith(" PATH=" + home.root().resolve("bin") + ":\"$PATH\"");
            assertThat(home.root().resolve("bin/gftp")).isExecutable();

            CliRun again = CliRun.of("up", "--port", "0", "--data-dir", dataDir);
            assertThat(again.exitCode()).isEqualTo(UserError.UNAVAILABLE);
            assertThat(again.err()).startsWith("error: a sandbox is already running from " + dataDir + " (pid " + pid);

            CliRun busy = CliRun.of("up", "--port", Integer.toString(port), "--data-dir", dir.resolve("other").toString());
            assertThat(busy.exitCode()).isEqualTo(UserError.UNAVAILABLE);
            assertThat(busy.errorLines()).isEqualTo(1);
            assertThat(busy.err()).contains("error: port " + port + " on 127.0.0.1 is busy: it is held by pid " + pid);

            Path script = Files.writeString(dir.resolve("persistence.json"), """
                    {"format": "golem-sandbox-script/1", "image": {"tag": "golem/alpine:latest"},
                     "activities": [
                       {"batches": [{"exeScript": [{"deploy": {}}, {"start": {}}]},
                                    {"exeScript": [{"run": {"entry_point": "/bin/sh", "args": ["-c", "echo hi > /golem/work/a"]}}]},
                                    {"exeScript": [{"run": {"entry_point": "/bin/cat", "args": ["/golem/work/a"]}}],
                                     "expect": [{"command": 0, "stdout": "hi\\n"}]}]},
                       {"batches": [{"exeScript": [{"deploy": {}}, {"start": {}}], "expect": [{"file": "/golem/work/a", "exists": false}]}]}
                     ]}
                    """);
            CliRun replay = CliRun.of("replay", script.toString(), "--data-dir", dataDir);
            assertThat(replay.exitCode()).as(replay.toString()).isZero();
            assertThat(replay.out()).contains("ok    activity 0, batch 2, command 0: run /bin/cat /golem/work/a")
                    .contains("ok    activity 1, batch 0: file /golem/work/a does not exist").contains("passed: 0 of");

            // The data directory is this test's own: its recordings are the script's two activities
            // (the second with the replayer's file check), nothing else.
            CliRun recordings = CliRun.of("recordings", "--data-dir", dataDir);
            List<String> listed = recordings.out().lines().filter(l -> l.contains("  sandbox/busybox:latest  ")).toList();
            assertThat(listed).as(recordings.toString()).hasSize(2)
                    .anyMatch(l -> l.endsWith("  3 batches")).anyMatch(l -> l.endsWith("  2 batches"));
            Path recording = Path.of(listed.stream().filter(l -> l.endsWith("  3 batches")).findFirst().orElseThrow().split("  ")[0]);
            assertThat(read(recording)).contains("echo hi > /golem/work/a").contains("\"hi\\n\"");
            CliRun replayed = CliRun.of("replay", recording.toString(), "--data-dir", dataDir);
            assertThat(replayed.exitCode()).as(replayed.toString()).isZero();
            Path tampered = Files.writeString(dir.resolve("tampered.json"), Files.readString(recording).replace("\"hi\\n\"", "\"ho\\n\""));
            CliRun mismatch = CliRun.of("replay", tampered.toString(), "--data-dir", dataDir);
            assertThat(mismatch.exitCode()).isEqualTo(1);
            assertThat(mismatch.out()).contains("FAIL  activity 0, batch 2, command 0: run /bin/cat /golem/work/a")
                    .contains("stdout: expected \"ho\\n\", actual \"hi\\n\"");

            assertThat(CliRun.of("logs", "--data-dir", dataDir).out()).contains("golem-sandbox listening on http://127.0.0.1:" + port);

            // A VM still runs when down is called; it must be found while it runs (so the search works) and be gone after.
            Path workDir = home.root().resolve("work").resolve(Long.toString(pid));
            try (GolemRequestor requestor = GolemRequestor.connect(URI.create(running.baseUrl()), running.appKey())) {
                Activity activity = requestor.rent(RentalSpec.imageTag("sandbox/busybox:latest")).newActivity();
                activity.deployAndStart();
                assertThat(activity.shell("echo running").stdout()).isEqualTo("running\n");
                // The activity's VM, and one of the warm reserve (the replays used this image before).
                assertThat(qemuProcessesUnder(workDir, 0)).as("the running activity's QEMU, found under " + workDir).hasSizeBetween(1, 2);

                CliRun down = CliRun.of("down", "--data-dir", dataDir);
                assertThat(down.exitCode()).as(down.toString()).isZero();
            }
            assertThat(ProcessHandle.of(pid)).isEmpty();
            assertThat(qemuProcessesUnder(workDir, 5)).isEmpty();
            assertThat(CliRun.of("status", "--data-dir", dataDir).exitCode()).isEqualTo(UserError.UNAVAILABLE);
        } finally {
            RunningSandbox.find(home).flatMap(r -> ProcessHandle.of(r.pid())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void sigtermOfAForegroundSandboxStopsEveryVm() throws Exception {
        // Its own data directory, with the shared guest assets and the default image: only the server is new.
        Path dataDir = TestRuntime.home(dir.resolve("home")).root();
        Process up = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                GolemSandboxCommand.class.getName(), "up", "--port", "0", "--data-dir", dataDir.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder seen = new StringBuilder();
            String apiUrl = null;
            String appKey = null;
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                seen.append(line).append('\n');
                if (line.startsWith("export YAGNA_API_URL=")) {
                    apiUrl = line.replaceAll("^export YAGNA_API_URL=(\\S+).*", "$1");
                    appKey = line.replaceAll(".*YAGNA_APPKEY=(\\S+).*", "$1");
                    break;
                }
            }
            assertThat(appKey).as(seen.toString()).isNotNull();
            try (GolemRequestor requestor = GolemRequestor.connect(URI.create(apiUrl), appKey)) {
                Rental rental = requestor.rent(RentalSpec.imageTag("sandbox/busybox:latest"));
                Activity activity = rental.newActivity();
                activity.deployAndStart();
                assertThat(activity.shell("echo running").stdout()).isEqualTo("running\n");
                Path workDir = dataDir.resolve("work").resolve(Long.toString(up.pid()));
                // The activity's VM, and perhaps one booting for the warm reserve (under the same work directory).
                assertThat(qemuProcessesUnder(workDir, 0)).hasSizeBetween(1, 2);

                up.toHandle().destroy(); // SIGTERM, as Ctrl-C of a service manager sends; Process.destroy() would also close our pipe
                String rest = out.lines().collect(java.util.stream.Collectors.joining("\n"));
                assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(rest).contains("golem-sandbox: stopping (every VM is shut down)");
                assertThat(qemuProcessesUnder(workDir, 5)).isEmpty();
                assertThat(workDir).doesNotExist();
            }
        } finally {
            up.destroyForcibly();
        }
    }

    /**
     * QEMU processes whose command line names a path under {@code dir} (their volume share), after
     * giving each up to {@code graceSeconds} to finish exiting (its owner may have just stopped it).
     */
    private static List<ProcessHandle> qemuProcessesUnder(Path dir, int graceSeconds) {
        List<ProcessHandle> found = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("qemu-system") && c.contains(dir.toString())).orElse(false))
                .toList();
        for (ProcessHandle qemu : found) {
            try {
                qemu.onExit().get(graceSeconds, TimeUnit.SECONDS);
            } catch (Exception stillRunning) {
                // Reported below as a live process.
            }
        }
        return found.stream().filter(ProcessHandle::isAlive).toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
