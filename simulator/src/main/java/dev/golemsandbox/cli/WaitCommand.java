package dev.golemsandbox.cli;

import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code golem-sandbox wait}: blocks until the sandbox of this data directory is ready (for scripts and CI). */
@Command(name = "wait", mixinStandardHelpOptions = true, description = "Wait until the sandbox running from the data directory is ready. Exit 3 on timeout.")
final class WaitCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(250);

    @Mixin
    CommonOptions common;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "900", description = "Give up after this long. Default: ${DEFAULT-VALUE}.")
    long timeout;

    @Override
    public Integer call() throws InterruptedException {
        SandboxHome home = common.home();
        Instant deadline = Instant.now().plusSeconds(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<RunningSandbox> running = RunningSandbox.find(home);
            if (running.isPresent() && SandboxProbe.isReady(running.get().baseUrl())) {
                System.out.println(running.get().environment());
                return 0;
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new UserError(UserError.UNAVAILABLE, "no ready sandbox from " + home.root() + " after " + timeout + " s",
                "start one with 'golem-sandbox up --detach'; see 'golem-sandbox status' and 'golem-sandbox logs'");
    }
}
