package dev.golemsandbox.cli;

import dev.golemsandbox.gftp.GftpLauncher;
import dev.golemsandbox.http.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code golem-sandbox gftp}: writes the {@code gftp} program golem-js 2.x spawns and prints the
 * PATH line for it. {@code up} does this itself; this is for a sandbox that runs elsewhere (in
 * Docker, on another machine), whose export line names a directory of that machine.
 */
@Command(name = "gftp", mixinStandardHelpOptions = true, description = {
        "Write the gftp program golem-js 2.x needs on PATH and print the line that puts it there:",
        "eval \"$(golem-sandbox gftp)\". 'up' does this for its own requestors; use this when the sandbox runs",
        "elsewhere (Docker, another machine). gftp needs only YAGNA_API_URL and YAGNA_APPKEY."})
final class GftpCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to write gftp (default: <data dir>/bin)")
    Path dir;

    @Override
    public Integer call() {
        Path target = dir != null ? dir.toAbsolutePath() : common.home().root().resolve("bin");
        Path written;
        try {
            written = GftpLauncher.install(target);
        } catch (IOException e) {
            throw new UserError(UserError.BAD_INPUT, "cannot write gftp into " + target + ": " + e.getMessage(),
                    "choose a directory you can write with --dir");
        }
        System.out.println("export PATH=" + RunningSandbox.shellWord(written.toString()) + ":\"$PATH\"");
        return 0;
    }
}
