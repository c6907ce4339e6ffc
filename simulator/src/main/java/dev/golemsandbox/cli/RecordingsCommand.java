package dev.golemsandbox.cli;

import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.replay.RequestorScript;
import dev.golemsandbox.replay.ScriptFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code golem-sandbox recordings}: the recorded activities in the data directory. */
@Command(name = "recordings", mixinStandardHelpOptions = true, description = "List the recorded activities (started with 'up --record' or per activity through /_sandbox).")
final class RecordingsCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        SandboxHome home = common.home();
        Path dir = home.recordings();
        List<Path> files = List.of();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> list = Files.list(dir)) {
                files = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
            }
        }
        if (files.isEmpty()) {
            System.err.println("no recordings in " + dir + " (record with 'golem-sandbox up --record')");
            return 0;
        }
        for (Path file : files) {
            try {
                RequestorScript script = RequestorScript.read(file);
                String image = script.image().tag() != null ? script.image().tag() : script.image().hash().substring(0, 12);
                System.out.printf("%s  %s  %d batch%s%n", file, image, script.batchCount(), script.batchCount() == 1 ? "" : "es");
            } catch (ScriptFormatException e) {
                System.out.println(file + "  (unreadable: " + e.getMessage() + ")");
            }
        }
        return 0;
    }
}
