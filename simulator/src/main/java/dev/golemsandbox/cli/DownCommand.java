package dev.golemsandbox.cli;

import dev.golemsandbox.home.SandboxHome;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code golem-sandbox down}: stops the sandbox of this data directory and every VM it runs. */
@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the sandbox running from the data directory (and every VM it runs).")
final class DownCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to let it stop its VMs before it is killed. Default: ${DEFAULT-VALUE}.")
    long timeout;

    @Override
    public Integer call() throws InterruptedException {
        SandboxHome home = common.home();
        RunningSandbox running = RunningSandbox.find(home).orElseThrow(() -> RunningSandbox.notRunning(home));
        ProcessHandle process = ProcessHandle.of(running.pid()).orElseThrow(() -> RunningSandbox.notRunning(home));
        process.destroy();
        try {
            process.onExit().get(timeout, TimeUnit.SECONDS);
            System.err.println("golem-sandbox: stopped the sandbox at " + running.baseUrl() + " (pid " + running.pid() + ")");
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            process.destroyForcibly();
            System.err.println("golem-sandbox: the sandbox did not stop within " + timeout + " s and was killed; its VMs die with it");
        }
        running.remove(home);
        return 0;
    }
}
