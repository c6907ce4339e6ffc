package dev.golemsandbox.cli;

import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code up --detach}: starts {@code up} again as a background process in its own session (so a
 * closing terminal does not stop it), waits until it is ready, prints what a requestor needs, and
 * returns. If the background sandbox fails first, its output is shown.
 */
final class DetachedStart {

    private static final Duration POLL = Duration.ofMillis(200);

    private final SandboxHome home;
    private final List<String> args;
    private final Duration readyTimeout;

    DetachedStart(SandboxHome home, List<String> originalArgs, long readyTimeoutSeconds) {
        this.home = home;
        this.args = originalArgs.stream().filter(a -> !a.equals("--detach")).toList();
        this.readyTimeout = Duration.ofSeconds(readyTimeoutSeconds).plusSeconds(10);
    }

    int run() throws IOException, InterruptedException {
        Path console = RunningSandbox.logFile(home).resolveSibling("sandbox.out");
        Files.createDirectories(console.getParent());
        List<String> command = new ArrayList<>(List.of("setsid", javaBinary(), "-cp", System.getProperty("java.class.path"),
                GolemSandboxCommand.class.getName()));
        command.addAll(args);
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(console.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        Instant deadline = Instant.now().plus(readyTimeout);
        System.err.println("golem-sandbox: starting in the background (output in " + console + ")");
        while (Instant.now().isBefore(deadline)) {
            if (child.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.print(tail(console));
                throw new UserError(UserError.UNAVAILABLE, "the background sandbox exited with status " + child.exitValue(),
                        "its output is above and in " + console);
            }
            Optional<RunningSandbox> running = RunningSandbox.find(home);
            if (running.isPresent() && SandboxProbe.isReady(running.get().baseUrl())) {
                System.err.println("golem-sandbox is ready at " + running.get().baseUrl() + " (pid " + running.get().pid()
                        + "); 'golem-sandbox down' stops it");
                System.err.println("golem-sandbox: dashboard: " + running.get().dashboardUrl());
                System.out.println(running.get().environment());
                return 0;
            }
        }
        child.destroy();
        throw new UserError(UserError.UNAVAILABLE, "the background sandbox was not ready after " + readyTimeout.toSeconds() + " s",
                "see " + console + " and 'golem-sandbox logs'");
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())) + "\n";
    }
}
