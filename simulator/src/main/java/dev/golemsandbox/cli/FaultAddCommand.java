package dev.golemsandbox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code golem-sandbox fault add KIND [options]}: prints the new fault's id. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = "Add a fault: reject-proposals, no-approval, terminate, crash-vm, slow-exec, drop-stream, no-invoice,"
                + " debit-note-storm, fail-transfer or disk-full.",
        footer = {"", "Examples:",
                "  golem-sandbox fault add crash-vm --at-command run --times 1",
                "  golem-sandbox fault add terminate --provider birch --after-seconds 5 --reason 'maintenance'",
                "  golem-sandbox fault add slow-exec --latency-ms 500",
                "  golem-sandbox fault add fail-transfer --after-bytes 65536 --times 1",
                "  golem-sandbox fault add disk-full --activity <id>"})
final class FaultAddCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "KIND", description = "the kind of failure")
    String kind;

    @Option(names = "--provider", paramLabel = "NAME", description = "only this provider (default: every provider)")
    String provider;

    @Option(names = "--activity", paramLabel = "ID", description = "only this activity")
    String activity;

    @Option(names = "--times", paramLabel = "N", description = "fire at most N times (default: every time)")
    Integer times;

    @Option(names = "--reason", description = "the provider's reason (reject-proposals, terminate)")
    String reason;

    @Option(names = "--after-seconds", paramLabel = "S", description = "terminate: seconds after approval; crash-vm: seconds after start")
    Long afterSeconds;

    @Option(names = "--at-command", paramLabel = "NAME|INDEX", description = "crash-vm: as this command begins (deploy, start, run, transfer, or an index)")
    String atCommand;

    @Option(names = "--latency-ms", paramLabel = "MS", description = "slow-exec: added before each command")
    Long latencyMs;

    @Option(names = "--after-bytes", paramLabel = "N", description = "fail-transfer: bytes moved before the transfer breaks off")
    Long afterBytes;

    @Override
    public Integer call() {
        RunningSandbox running = RunningSandbox.find(common.home()).orElseThrow(() -> RunningSandbox.notRunning(common.home()));
        ObjectNode spec = JsonNodeFactory.instance.objectNode().put("fault", kind);
        if (provider != null) {
            spec.put("provider", provider);
        }
        if (activity != null) {
            spec.put("activity", activity);
        }
        if (times != null) {
            spec.put("times", times);
        }
        if (reason != null) {
            spec.put("reason", reason);
        }
        if (afterSeconds != null) {
            spec.put("afterSeconds", afterSeconds);
        }
        if (atCommand != null) {
            if (atCommand.matches("\\d{1,6}")) {
                spec.put("atCommand", Integer.parseInt(atCommand));
            } else {
                spec.put("atCommand", atCommand);
            }
        }
        if (latencyMs != null) {
            spec.put("latencyMs", latencyMs);
        }
        if (afterBytes != null) {
            spec.put("afterBytes", afterBytes);
        }
        JsonNode added = SandboxApiCall.send(running, "POST", "/_sandbox/faults", spec);
        System.out.println(added.path("id").asText());
        return 0;
    }
}
