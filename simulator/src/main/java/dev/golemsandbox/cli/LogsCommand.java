package dev.golemsandbox.cli;

import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code golem-sandbox logs [-f]}: the server log of the sandbox of this data directory. */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Print the sandbox's log (from the data directory); -f keeps printing new lines.")
final class LogsCommand implements Callable<Integer> {

    private static final long FOLLOW_POLL_MILLIS = 250;

    @Mixin
    CommonOptions common;

    @Option(names = {"-f", "--follow"}, description = "Keep printing lines as they are written, until Ctrl-C or the sandbox stops.")
    boolean follow;

    @Override
    public Integer call() throws IOException, InterruptedException {
        SandboxHome home = common.home();
        Path log = RunningSandbox.logFile(home);
        if (!Files.exists(log)) {
            throw new UserError(UserError.BAD_INPUT, "no log at " + log, "the log appears once 'golem-sandbox up' has run with this data directory");
        }
        byte[] buffer = new byte[64 * 1024];
        try (RandomAccessFile in = new RandomAccessFile(log.toFile(), "r")) {
            while (true) {
                int n = in.read(buffer);
                if (n > 0) {
                    System.out.print(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    continue;
                }
                System.out.flush();
                if (!follow || RunningSandbox.find(home).isEmpty()) {
                    return 0;
                }
                Thread.sleep(FOLLOW_POLL_MILLIS);
            }
        }
    }
}
