package dev.golemsandbox.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code golem-sandbox fault rm ID...}: removes faults by id. */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove faults by id ('golem-sandbox fault ls' shows them).")
final class FaultRemoveCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(arity = "1..*", paramLabel = "ID")
    List<String> ids;

    @Override
    public Integer call() {
        RunningSandbox running = RunningSandbox.find(common.home()).orElseThrow(() -> RunningSandbox.notRunning(common.home()));
        for (String id : ids) {
            SandboxApiCall.send(running, "DELETE", "/_sandbox/faults/" + URLEncoder.encode(id, StandardCharsets.UTF_8), null);
            System.out.println("removed " + id);
        }
        return 0;
    }
}
