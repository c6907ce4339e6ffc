package dev.golemsandbox.cli;

import dev.golemsandbox.client.GolemRequestor;
import dev.golemsandbox.client.YagnaApiException;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.replay.ReplayReport;
import dev.golemsandbox.replay.RequestorScript;
import dev.golemsandbox.replay.ScriptFormatException;
import dev.golemsandbox.replay.ScriptReplay;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code golem-sandbox replay FILE...}: runs recordings and hand-written requestor scripts on fresh
 * activities and reports, per command, what differs from the recording or the expectations.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, description = {
        "Run recorded or hand-written requestor scripts against a sandbox and compare every command's result.",
        "Exit status 1 if any check failed."})
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Recordings or scripts (JSON, see README: Record and replay).")
    List<Path> files;

    @Option(names = "--against", paramLabel = "URL", description = "The sandbox (or yagna) to run against. Default: the one running from the data directory.")
    URI against;

    @Option(names = "--app-key", paramLabel = "KEY", description = "App key for --against. Default: $YAGNA_APPKEY.")
    String appKey;

    @Override
    public Integer call() throws Exception {
        List<RequestorScript> scripts = new java.util.ArrayList<>();
        for (Path file : files) {
            try {
                scripts.add(RequestorScript.read(file));
            } catch (ScriptFormatException e) {
                throw new UserError(e.getMessage());
            }
        }
        URI url;
        String key;
        if (against != null) {
            url = against;
            key = appKey != null ? appKey : System.getenv("YAGNA_APPKEY");
            if (key == null || key.isBlank()) {
                throw new UserError("--against needs an app key: pass --app-key or set YAGNA_APPKEY");
            }
        } else {
            SandboxHome home = common.home();
            RunningSandbox running = RunningSandbox.find(home).orElseThrow(() -> RunningSandbox.notRunning(home));
            url = URI.create(running.baseUrl());
            key = appKey != null ? appKey : running.appKey();
        }
        int failed = 0;
        try (GolemRequestor requestor = GolemRequestor.connect(url, key)) {
            ScriptReplay replay = new ScriptReplay(requestor);
            for (int i = 0; i < scripts.size(); i++) {
                RequestorScript script = scripts.get(i);
                System.out.println("replay " + files.get(i) + (script.description() == null ? "" : " (" + script.description() + ")"));
                ReplayReport report;
                try {
                    report = replay.run(script);
                } catch (YagnaApiException e) {
                    System.out.println("  FAIL  could not run: " + e.getMessage());
                    failed++;
                    continue;
                }
                report.print(System.out);
                if (!report.passed()) {
                    failed++;
                }
            }
        } catch (YagnaApiException e) {
            throw new UserError(UserError.UNAVAILABLE, "cannot talk to " + url + ": " + e.getMessage(),
                    "is the sandbox running ('golem-sandbox status')?");
        }
        if (scripts.size() > 1) {
            System.out.println(failed == 0 ? "all " + scripts.size() + " scripts passed" : failed + " of " + scripts.size() + " scripts failed");
        }
        return failed == 0 ? 0 : 1;
    }
}
