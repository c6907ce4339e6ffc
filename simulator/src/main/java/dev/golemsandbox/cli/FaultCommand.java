package dev.golemsandbox.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code golem-sandbox fault ...}: failures on demand for requestor tests. */
@Command(name = "fault",
        description = "Inject provider failures into the running sandbox (add, ls, rm); the same as POST/GET/DELETE /_sandbox/faults.",
        mixinStandardHelpOptions = true,
        subcommands = {FaultAddCommand.class, FaultListCommand.class, FaultRemoveCommand.class})
final class FaultCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
