package dev.golemsandbox.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.gvmi.ContainerConfig;
import dev.golemsandbox.gvmi.GvmiImage;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.json.JsonMapper;
import dev.golemsandbox.registry.ImageRegistryApi;
import dev.golemsandbox.store.ImageResolution;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.StandIn;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code image inspect <file|repo:tag|hash> [--json]}: what a GVMI image is and what a provider will read from it. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a GVMI image's hash, size, compression and metadata (a file, or an image of the local registry).")
final class ImageInspectCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = Json.mapper();

    @Parameters(index = "0", paramLabel = "IMAGE", description = "A .gvmi file, a repo:tag, or a hash or hash prefix.")
    String reference;

    @Option(names = "--json", description = "Print JSON (the metadata as the image holds it, under \"config\").")
    boolean json;

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path path = Path.of(reference);
        GvmiImage image;
        List<String> tags = List.of();
        Optional<StandIn> standIn = Optional.empty();
        if (Files.isRegularFile(path)) {
            image = GvmiImage.open(path);
        } else {
            ImageResolution resolution = ImageStore.open(common.home()).resolve(reference, ConsoleProgress.on(spec.commandLine().getErr()));
            image = resolution.image().open();
            tags = resolution.image().tags();
            standIn = resolution.standIn();
        }
        String sha3 = image.sha3();
        String link = ImageRegistryApi.taskPackage(RegistryUrl.fromEnvironment(), sha3);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode node = JSON.createObjectNode();
            node.put("file", image.file().toString());
            node.put("size", image.size());
            node.put("sha3", sha3);
            node.put("compression", image.squashfsCompression());
            node.putPOJO("tags", tags);
            standIn.ifPresent(s -> node.putObject("standIn").put("for", s.publicTag()).put("image", s.target()).put("source", s.source()));
            node.put("link", link);
            node.set("config", image.config().toJsonNode());
            out.println(JsonMapper.pretty().writeValueAsString(node));
        } else {
            ContainerConfig config = image.config();
            row(out, "file", image.file().toString());
            row(out, "size", HumanSize.of(image.size()));
            row(out, "sha3", sha3);
            row(out, "compression", image.squashfsCompression());
            if (!tags.isEmpty()) {
                row(out, "tags", String.join(", ", tags));
            }
            standIn.ifPresent(s -> row(out, "stand-in", s.note()));
            row(out, "link", link);
            row(out, "workdir", config.workingDir().orElse("(none: /)"));
            row(out, "user", config.user().orElse("(none: root)"));
            row(out, "volumes", config.volumes().isEmpty() ? "(none: no file transfers possible)" : String.join(", ", config.volumes()));
            for (String env : config.env()) {
                row(out, "env", env);
            }
            if (!config.entrypoint().isEmpty()) {
                row(out, "entrypoint", config.entrypoint() + " (ignored by providers)");
            }
            if (!config.cmd().isEmpty()) {
                row(out, "cmd", config.cmd() + " (ignored by providers)");
            }
            config.labels().forEach((k, v) -> row(out, "label", k + "=" + v));
        }
        out.flush();
        return 0;
    }

    private static void row(PrintWriter out, String name, String value) {
        out.printf("%-12s %s%n", name + ":", value);
    }
}
