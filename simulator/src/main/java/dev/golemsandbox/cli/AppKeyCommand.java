package dev.golemsandbox.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code golem-sandbox app-key ...}: the keys the running sandbox accepts, as {@code yagna app-key ...}. */
@Command(name = "app-key",
        description = "Manage the app keys the running sandbox accepts (create, list, drop), as 'yagna app-key' does; "
                + "created keys are kept in the data directory and work again after a restart.",
        mixinStandardHelpOptions = true,
        subcommands = {AppKeyCreateCommand.class, AppKeyListCommand.class, AppKeyDropCommand.class})
final class AppKeyCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
