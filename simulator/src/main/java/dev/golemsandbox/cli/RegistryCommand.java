package dev.golemsandbox.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code golem-sandbox registry ...}: the local registry's accounts. */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Manage the local registry's users: a tag owner/name:tag is pushed with its owner's token.",
        subcommands = RegistryUserCommand.class)
final class RegistryCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
