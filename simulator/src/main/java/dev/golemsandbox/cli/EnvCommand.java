package dev.golemsandbox.cli;

import dev.golemsandbox.home.SandboxHome;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code golem-sandbox env}: the export line for the running sandbox, for {@code eval "$(golem-sandbox env)"}. */
@Command(name = "env", mixinStandardHelpOptions = true, description = "Print the environment a requestor needs for the running sandbox: eval \"$(golem-sandbox env)\".")
final class EnvCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        SandboxHome home = common.home();
        RunningSandbox running = RunningSandbox.find(home).orElseThrow(() -> RunningSandbox.notRunning(home));
        System.out.println(running.environment());
        return 0;
    }
}
