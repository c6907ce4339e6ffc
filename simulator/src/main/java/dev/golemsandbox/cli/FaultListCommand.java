package dev.golemsandbox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code golem-sandbox fault ls}: one line per fault with where it applies and how often it fired. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List the faults of the running sandbox and how often each fired.")
final class FaultListCommand implements Callable<Integer> {

    private static final Set<String> SHOWN_APART = Set.of("id", "fault", "fired");

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        RunningSandbox running = RunningSandbox.find(common.home()).orElseThrow(() -> RunningSandbox.notRunning(common.home()));
        JsonNode faults = SandboxApiCall.send(running, "GET", "/_sandbox/faults", null);
        if (faults == null || faults.isEmpty()) {
            System.err.println("no faults ('golem-sandbox fault add --help' adds one)");
            return 0;
        }
        for (JsonNode fault : faults) {
            List<String> details = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = fault.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!SHOWN_APART.contains(field.getKey())) {
                    details.add(field.getKey() + "=" + (field.getValue().isTextual() ? field.getValue().asText() : field.getValue()));
                }
            }
            System.out.printf("%s  %-16s fired %d  %s%n", fault.path("id").asText(), fault.path("fault").asText(),
                    fault.path("fired").asInt(), String.join(" ", details));
        }
        return 0;
    }
}
