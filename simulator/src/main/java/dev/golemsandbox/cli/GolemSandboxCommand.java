package dev.golemsandbox.cli;

import dev.golemsandbox.http.UserError;
import dev.golemsandbox.sandbox.SandboxVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code golem-sandbox} command line. Each subcommand is a {@code Callable<Integer>} that
 * returns its exit code; a user's mistake surfaces as a {@link UserError} and is printed as one
 * line by {@link CliErrorHandler}.
 */
@Command(name = "golem-sandbox",
        mixinStandardHelpOptions = true,
        versionProvider = SandboxVersion.class,
        description = "A local, offline Golem Network: yagna API, providers running QEMU microVMs, image registry.",
        subcommands = {
                UpCommand.class,
                StatusCommand.class,
                WaitCommand.class,
                DownCommand.class,
                LogsCommand.class,
                EnvCommand.class,
                PrepareCommand.class,
                ImageCommand.class,
                RegistryCommand.class,
                RunCommand.class,
                DoctorCommand.class,
                RecordingsCommand.class,
                ReplayCommand.class,
                FaultCommand.class,
                AppKeyCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class GolemSandboxCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code, without exiting the JVM (for tests). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new GolemSandboxCommand());
        cli.setExecutionExceptionHandler(new CliErrorHandler());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
