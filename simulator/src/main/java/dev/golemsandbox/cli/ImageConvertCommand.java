package dev.golemsandbox.cli;

import dev.golemsandbox.gvmi.ContainerConfig;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code image convert <source>}: a root filesystem directory, a saved image (docker save or OCI
 * layout, directory or tar) or an image of the local Docker engine, into a GVMI file.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert an image into a GVMI file a provider accepts.",
                "SOURCE is a root filesystem directory, a 'docker save' tarball, an OCI image layout (directory or tar),"
                        + " or the name of an image in the local Docker engine."})
final class ImageConvertCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SOURCE", description = "Directory, tar file or Docker image name.")
    String source;

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
        destination.validate();
        ConsoleProgress progress = ConsoleProgress.on(spec.commandLine().getErr());
        GvmiConverter converter = new GvmiConverter(config.compression(), progress).withLimits(limits.limits());
        ImageStore store = destination.needsStore() ? ImageStore.open(common.home()) : null;
        Path target = destination.target(store);
        try {
            ConversionResult result = convert(converter, target);
            progress.endLine();
            StoredImage stored = destination.store(store, result);
            destination.report(spec.commandLine().getOut(), spec.commandLine().getErr(), result, stored, RegistryUrl.fromEnvironment());
        } finally {
            progress.endLine();
            if (destination.output == null) {
                Files.deleteIfExists(target);  // the temp file in the store, if it was not moved into place
            }
        }
        return 0;
    }

    private ConversionResult convert(GvmiConverter converter, Path target) throws Exception {
        Path path = Path.of(source);
        if (Files.isDirectory(path)) {
            if (isSavedImage(path)) {
                return converter.convertArchive(path, config.overrides(), target);
            }
            return converter.convertRootfs(path, config.overrides().applyTo(ContainerConfig.empty()), target);
        }
        if (Files.isRegularFile(path)) {
            return converter.convertArchive(path, config.overrides(), target);
        }
        if (looksLikePath(source)) {
            throw new UserError("no such file or directory: " + source);
        }
        try (DockerEngine engine = DockerEngine.connect()) {
            return converter.convertDockerImage(engine, source, config.overrides(), target);
        }
    }

    /** An OCI layout or an unpacked docker save archive, rather than a root filesystem. */
    static boolean isSavedImage(Path dir) {
        return Files.isRegularFile(dir.resolve("oci-layout"))
                || (Files.isRegularFile(dir.resolve("index.json")) && Files.isDirectory(dir.resolve("blobs")))
                || (Files.isRegularFile(dir.resolve("manifest.json")) && !Files.isDirectory(dir.resolve("etc")));
    }

    /** A source written as a path (./x, /x, x.tar) that does not exist is a typo, not a Docker image name. */
    private static boolean looksLikePath(String source) {
        return source.startsWith("/") || source.startsWith("./") || source.startsWith("../") || source.startsWith("~")
                || source.endsWith(".tar") || source.endsWith(".gvmi") || source.endsWith(".tgz");
    }
}
