package dev.golemsandbox.image;

import com.github.dockerjava.api.exception.DockerException;
import dev.golemsandbox.gvmi.ContainerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Base images for Docker tests, made locally since nothing can be pulled: a busybox root
 * filesystem (the host's static busybox and its applet symlinks) loaded as a one-layer image.
 *
 * <pre>{@code
 * String base = DockerBaseImages.importBusybox(engine);   // "golem-sandbox-test/busybox:<random>"
 * ...
 * DockerBaseImages.remove(engine, base);
 * }</pre>
 */
public final class DockerBaseImages {

    private DockerBaseImages() {
    }

    /** Imports a busybox image under a fresh tag and returns the tag. Remove it with {@link #remove}. */
    public static String importBusybox(DockerEngine engine) throws IOException, ImageConversionException {
        BusyboxRootfs recipe = BusyboxRootfs.fromHost();
        LayerTarBuilder layer = new LayerTarBuilder()
                .dir("bin", 0755, 0, 0)
                .dir("usr", 0755, 0, 0)
                .dir("usr/bin", 0755, 0, 0)
                .dir("usr/sbin", 0755, 0, 0)
                .dir("sbin", 0755, 0, 0)
                .dir("tmp", 01777, 0, 0)
                .dir("etc", 0755, 0, 0)
                .file("bin/busybox", Files.readAllBytes(BusyboxRootfs.HOST_BUSYBOX), 0755, 0, 0);
        for (String applet : recipe.applets()) {
            layer.symlink(applet, "/bin/busybox");
        }
        String image = "golem-sandbox-test/busybox:" + UUID.randomUUID().toString().substring(0, 12);
        // docker load of a saved image: docker-java's import call loses the request body on this engine.
        Path saved = Files.createTempFile("golem-sandbox-base-", ".tar");
        try {
            SavedImages.dockerSave(saved, image, ContainerConfig.empty(), List.of(layer.tar()));
            try (InputStream in = Files.newInputStream(saved)) {
                engine.client().loadImageCmd(in).exec();
            }
        } finally {
            Files.deleteIfExists(saved);
        }
        return image;
    }

    /** Removes an imported image (and any container still using it). */
    public static void remove(DockerEngine engine, String image) {
        if (image == null) {
            return;
        }
        try {
            engine.client().removeImageCmd(image).withForce(true).exec();
        } catch (DockerException e) {
            // Already gone.
        }
    }
}
