package dev.golemsandbox.cli;

import dev.golemsandbox.http.UserError;
import dev.golemsandbox.image.ConversionResult;
import dev.golemsandbox.image.DockerEngine;
import dev.golemsandbox.image.GvmiConverter;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.StoredImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code image build <context> [-f Dockerfile] -t repo:tag}: builds with the local Docker engine,
 * converts the result and stores it; the Docker image made for it is removed afterwards.
 */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Build a Dockerfile with the local Docker engine and convert the result into a GVMI image.",
                "Nothing can be pulled offline: FROM must name an image the engine already has."})
final class ImageBuildCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONTEXT", description = "Build context directory.")
    Path context;

    @Option(names = {"-f", "--file"}, paramLabel = "DOCKERFILE", description = "Dockerfile (default: CONTEXT/Dockerfile).")
    Path dockerfile;

    @Mixin
    ImageDestination destination;

    @Mixin
    ImageConfigOptions config;

    @Mixin
    ImageLimitOptions limits;

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (destination.tag == null) {
            throw new UserError("image build needs -t repo:tag (the tag the image gets in the local registry)");
        }
        destination.validate();
        Path file = dockerfile != null ? dockerfile : context.resolve("Dockerfile");
        ConsoleProgress progress = ConsoleProgress.on(spec.commandLine().getErr());
        GvmiConverter converter = new GvmiConverter(config.compression(), progress).withLimits(limits.limits());
        ImageStore store = ImageStore.open(common.home());
        try (DockerEngine engine = DockerEngine.connect()) {
            String imageId = engine.build(context, file, progress);
            Path target = destination.target(store);
            try {
                ConversionResult result = converter.convertDockerImage(engine, imageId, config.overrides(), target);
                progress.endLine();
                StoredImage stored = destination.store(store, result);
                destination.report(spec.commandLine().getOut(), spec.commandLine().getErr(), result, stored, RegistryUrl.fromEnvironment());
            } finally {
                progress.endLine();
                engine.removeImage(imageId);
                if (destination.output == null) {
                    Files.deleteIfExists(target);  // the temp file in the store, if it was not moved into place
                }
            }
        }
        return 0;
    }
}
