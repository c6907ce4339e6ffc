package dev.golemsandbox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code golem-sandbox app-key list}: one line per key, with the columns of {@code yagna app-key list}. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
        description = "List the app keys of the running sandbox: name, key, identity, role, created.")
final class AppKeyListCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        RunningSandbox running = RunningSandbox.find(common.home()).orElseThrow(() -> RunningSandbox.notRunning(common.home()));
        JsonNode keys = SandboxApiCall.send(running, "GET", "/_sandbox/app-keys", null);
        System.out.printf("%-16s %-34s %-42s %-8s %s%n", "name", "key", "id", "role", "created");
        for (JsonNode key : keys) {
            System.out.printf("%-16s %-34s %-42s %-8s %s%s%n", key.path("name").asText(), key.path("key").asText(),
                    key.path("identity").asText(), key.path("role").asText(), key.path("created").asText(),
                    key.path("kept").asBoolean() ? "" : "  (given at start)");
        }
        return 0;
    }
}
