package dev.golemsandbox.cli;

import dev.golemsandbox.blob.BlobStore;
import dev.golemsandbox.client.GolemRequestor;
import dev.golemsandbox.client.YagnaApiException;
import dev.golemsandbox.home.AtomicFile;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.json.JsonMapper;
import dev.golemsandbox.replay.RecordingBundle;
import dev.golemsandbox.replay.RecordingUpdate;
import dev.golemsandbox.replay.ReplayInputException;
import dev.golemsandbox.replay.ReplayReport;
import dev.golemsandbox.replay.RequestorScript;
import dev.golemsandbox.replay.ScriptFormatException;
import dev.golemsandbox.replay.ScriptReplay;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code golem-sandbox replay FILE...}: runs recordings and hand-written requestor scripts on fresh
 * activities and reports, per command, what differs from the recording or the expectations;
 * with {@code --update}, rewrites each recording's failed commands from the new run.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, description = {
        "Run recorded or hand-written requestor scripts against a sandbox and compare every command's result.",
        "Uploads are served from the blobs/ directory beside each recording (or in its bundle); downloads are compared by sha256 and size.",
        "Exit status 1 if any check failed (with --update: if a script could not run at all)."})
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Recordings or scripts (JSON, see README: Record and replay),"
            + " or recording bundles (.tar, the dashboard's download: the JSON with its blobs).")
    List<Path> files;

    @Option(names = "--against", paramLabel = "URL", description = "The sandbox (or yagna) to run against. Default: the one running from the data directory.")
    URI against;

    @Option(names = "--app-key", paramLabel = "KEY", description = "App key for --against. Default: $YAGNA_APPKEY.")
    String appKey;

    @Option(names = "--update", description = "Rewrite each recording's results from this run where they differ, and print what changed."
            + " A recording that could not run at all is left as it is.")
    boolean update;

    @Override
    public Integer call() throws Exception {
        List<Path> bundles = files.stream().filter(RecordingBundle::isBundle).toList();
        if (bundles.isEmpty()) {
            return replay(files);
        }
        if (update) {
            throw new UserError("--update rewrites a recording's file, and " + bundles.get(0) + " is a bundle:"
                    + " unpack it (tar xf) and update the .json in it");
        }
        try (UnpackedBundles unpacked = UnpackedBundles.in(common.home())) {
            List<Path> recordings = new ArrayList<>();
            for (Path file : files) {
                if (!RecordingBundle.isBundle(file)) {
                    recordings.add(file);
                    continue;
                }
                try {
                    recordings.add(RecordingBundle.unpack(file, unpacked.next()));
                } catch (NoSuchFileException e) {
                    throw new UserError("no such file: " + file);
                } catch (ReplayInputException e) {
                    throw new UserError(e.getMessage());
                }
            }
            return replay(recordings);
        }
    }

    /** Replays {@code recordings} (each named as {@link #files} names it, in order). */
    private int replay(List<Path> recordings) throws Exception {
        List<RequestorScript> scripts = new ArrayList<>();
        for (Path file : recordings) {
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
                    report = replay.run(script, BlobStore.beside(recordings.get(i).toAbsolutePath().getParent()));
                } catch (YagnaApiException | ReplayInputException e) {
                    System.out.println("  FAIL  could not run: " + e.getMessage());
                    failed++;
                    continue;
                }
                report.print(System.out);
                if (update) {
                    update(recordings.get(i), RecordingUpdate.of(script, report));
                } else if (!report.passed()) {
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

    private static void update(Path file, RecordingUpdate update) throws IOException {
        if (!update.changed()) {
            System.out.println("unchanged: " + file);
            return;
        }
        AtomicFile.write(file, JsonMapper.pretty().writeValueAsString(update.script().toJson())
                .getBytes(StandardCharsets.UTF_8));
        System.out.println("updated " + file + ":");
        update.changes().forEach(line -> System.out.println("  " + line));
    }
}
