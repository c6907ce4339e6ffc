package dev.golemsandbox.cli;

import dev.golemsandbox.home.SandboxHome;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every subcommand takes: the data directory and debug output. Used as a picocli mixin. */
public final class CommonOptions {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (images, guest assets, keys, recordings). Default: $GOLEM_SANDBOX_HOME or ~/.local/share/golem-sandbox.")
    Path dataDir;

    @Option(names = "--debug", description = "Print stack traces and debug logs.")
    boolean debug;

    /** The data directory chosen by flag or environment. */
    public SandboxHome home() {
        return dataDir != null ? new SandboxHome(dataDir.toAbsolutePath()) : SandboxHome.fromEnvironment();
    }
}
