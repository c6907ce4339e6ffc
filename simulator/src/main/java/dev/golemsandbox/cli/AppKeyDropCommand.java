package dev.golemsandbox.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code golem-sandbox app-key drop NAME}: requests with that key get 401 from then on. */
@Command(name = "drop", mixinStandardHelpOptions = true, description = "Drop the app key named NAME (one created with 'app-key create').")
final class AppKeyDropCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        RunningSandbox running = RunningSandbox.find(common.home()).orElseThrow(() -> RunningSandbox.notRunning(common.home()));
        SandboxApiCall.send(running, "DELETE", "/_sandbox/app-keys/" + URLEncoder.encode(name, StandardCharsets.UTF_8), null);
        return 0;
    }
}
