package dev.golemsandbox.cli;

import dev.golemsandbox.gftp.GftpLauncher;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.market.ProviderStatus;
import dev.golemsandbox.sandbox.Sandbox;
import dev.golemsandbox.sandbox.SandboxConfig;
import dev.golemsandbox.store.StoredImage;
import dev.golemsandbox.vm.AcceleratorChoice;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code golem-sandbox up}: prepares what is missing, starts the sandbox, waits until it is ready,
 * prints what a requestor needs, then serves until Ctrl-C (or, with {@code --detach}, in the
 * background until {@code golem-sandbox down}).
 */
@Command(name = "up", mixinStandardHelpOptions = true, description = {
        "Start the sandbox: the yagna API, providers that run activities in QEMU microVMs, and the image registry.",
        "Prepares what is missing first (guest kernel, default image, app key), then prints the environment a requestor needs."})
final class UpCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    SandboxOptions server;

    @Option(names = "--detach", description = "Run in the background; stop it with 'golem-sandbox down'.")
    boolean detach;

    @Option(names = "--record", description = "Record every activity (image, batches, results) under <data dir>/recordings.")
    boolean record;

    @Option(names = "--ready-timeout", paramLabel = "SECONDS", defaultValue = "900",
            description = "How long to wait for the preparation (first run: kernel download, image build). Default: ${DEFAULT-VALUE}.")
    long readyTimeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SandboxHome home = common.home();
        // A restarted container gives its JVM the pid of the one before it: a record with this
        // very process's pid was left by a sandbox that was killed, not one that still runs.
        RunningSandbox.find(home).filter(running -> running.pid() != ProcessHandle.current().pid()).ifPresent(running -> {
            throw new UserError(UserError.UNAVAILABLE, "a sandbox is already running from " + home.root()
                    + " (pid " + running.pid() + ", " + running.baseUrl() + ")",
                    "stop it with 'golem-sandbox down', or use another --data-dir");
        });
        SandboxConfig config = server.toConfig(home);
        if (detach) {
            return new DetachedStart(home, spec.commandLine().getParseResult().originalArgs(), readyTimeout).run();
        }
        return serve(home, config);
    }

    private int serve(SandboxHome home, SandboxConfig config) throws IOException, InterruptedException {
        Path log = RunningSandbox.logFile(home);
        Files.createDirectories(log.getParent());
        // The server's own log goes to a file ('golem-sandbox logs'); the console gets progress and the summary.
        System.setProperty("org.slf4j.simpleLogger.logFile", log.toString());
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", common.debug ? "debug" : "info");
        PrintStream out = System.out;
        Instant started = Instant.now();
        out.println("golem-sandbox: starting on " + config.host() + ":" + config.port() + " with data in " + home.root());
        Sandbox sandbox = Sandbox.start(config, record, line -> out.println("  " + line));
        RunningSandbox running = new RunningSandbox(ProcessHandle.current().pid(), sandbox.baseUrl(), sandbox.appKey(), started,
                GftpLauncher.install(home.root().resolve("bin")).toString());
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            out.println("golem-sandbox: stopping (every VM is shut down)");
            running.remove(home);
            sandbox.close();
            stopped.countDown();
        }, "golem-sandbox-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        running.write(home);
        try {
            sandbox.awaitReady(Duration.ofSeconds(readyTimeout));
        } catch (IOException e) {
            throw new UserError(UserError.UNAVAILABLE, e.getMessage(), "run 'golem-sandbox doctor'; the log is " + log);
        }
        printSummary(out, sandbox, running, home, Duration.between(started, Instant.now()));
        stopped.await();
        return 0;
    }

    private static void printSummary(PrintStream out, Sandbox sandbox, RunningSandbox running, SandboxHome home, Duration took) throws IOException {
        out.printf(Locale.ROOT, "golem-sandbox is ready at %s (%.1f s)%n", sandbox.baseUrl(), took.toMillis() / 1000.0);
        List<String> providers = new ArrayList<>();
        for (ProviderStatus p : sandbox.server().market().providers()) {
            providers.add(String.format(Locale.ROOT, "%s (%d thread%s, %s GiB, %s GiB storage)", p.name(), p.threads(),
                    p.threads() == 1 ? "" : "s", trim(p.memGib()), trim(p.storageGib())));
        }
        out.println("  providers:   " + (providers.isEmpty() ? "none" : String.join(", ", providers)));
        for (StoredImage image : sandbox.images().list()) {
            out.printf(Locale.ROOT, "  image:       %s  %s  %.1f MB%n", image.tags().isEmpty() ? "(untagged)" : String.join(", ", image.tags()),
                    image.sha3().substring(0, 12), image.size() / 1e6);
        }
        out.println("  stand-ins:   public images such as golem/alpine:latest and golem/node:20-alpine answer with local"
                + " stand-ins ('golem-sandbox image ls' says what each holds)");
        AcceleratorChoice accelerator = sandbox.accelerator();
        out.println("  accelerator: " + (accelerator == null ? "unknown" : accelerator.accelerator().qemuName() + " (" + accelerator.reason() + ")"));
        out.println("  data:        " + home.root());
        if (sandbox.recordsEveryActivity()) {
            out.println("  recording:   every activity, to " + home.recordings() + " ('golem-sandbox recordings')");
        }
        out.println("  dashboard:   " + RunningSandbox.dashboardUrl(sandbox.baseUrl(), sandbox.appKey()));
        out.println("  logs:        golem-sandbox logs -f");
        out.println("Point a requestor at it:");
        out.println(running.environment());
        out.println("Ctrl-C stops the sandbox and every VM.");
        out.flush();
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
