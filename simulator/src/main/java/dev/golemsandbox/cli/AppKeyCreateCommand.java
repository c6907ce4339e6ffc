package dev.golemsandbox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code golem-sandbox app-key create NAME [--key K]}: prints the new key, as {@code yagna app-key create} does. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Create an app key named NAME and print it: a random one, or the one --key gives.",
        footer = {"", "Examples:",
                "  golem-sandbox app-key create ci",
                "  golem-sandbox app-key create docs --key try_golem      # the key published examples hard-code"})
final class AppKeyCreateCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "NAME", description = "the key's name (letters, digits, ._-)")
    String name;

    @Option(names = "--key", paramLabel = "K", description = "the key itself (8-256 letters, digits, ._~+/=-); default: a random one")
    String key;

    @Override
    public Integer call() {
        RunningSandbox running = RunningSandbox.find(common.home()).orElseThrow(() -> RunningSandbox.notRunning(common.home()));
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("name", name);
        if (key != null) {
            body.put("key", key);
        }
        JsonNode created = SandboxApiCall.send(running, "POST", "/_sandbox/app-keys", body);
        System.out.println(created.path("key").asText());
        return 0;
    }
}
