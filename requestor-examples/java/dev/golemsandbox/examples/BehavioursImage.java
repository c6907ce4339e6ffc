package dev.golemsandbox.examples;

import dev.golemsandbox.gvmi.ContainerConfig;
import dev.golemsandbox.image.Compression;
import dev.golemsandbox.image.GvmiConverter;
import dev.golemsandbox.image.ProgressListener;
import dev.golemsandbox.junit.GolemSandbox;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The image these examples rent, as a Dockerfile would describe it:
 * <pre>
 * FROM busybox
 * RUN echo "shipped in the image" > /golem/input/from-image.txt   # under a VOLUME: hidden at runtime
 * RUN echo "shipped in the image" > /opt/app/data.txt             # elsewhere: there
 * WORKDIR /golem/work
 * VOLUME /golem/input /golem/output /golem/work
 * ENTRYPOINT ["/bin/sh", "-c", "echo ran > /opt/app/entrypoint-ran"]   # never runs on a provider
 * CMD ["/bin/touch", "/opt/app/cmd-ran"]                                 # never runs either
 * </pre>
 * built here from the host's busybox-static with the sandbox's image converter, and pushed to the
 * sandbox's registry as {@value #TAG}.
 */
final class BehavioursImage {

    static final String TAG = "examples/behaviours-java:latest";

    private BehavioursImage() {
    }

    static synchronized void pushTo(GolemSandbox sandbox, Path workDir) throws Exception {
        Path rootfs = Files.createDirectories(workDir.resolve("rootfs"));
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        Process list = new ProcessBuilder("/bin/busybox", "--list-full").start();
        for (String applet : new String(list.getInputStream().readAllBytes()).split("\n")) {
            Path link = rootfs.resolve(applet.trim());
            if (!applet.isBlank() && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, Path.of("/bin/busybox"));
            }
        }
        Files.writeString(Files.createDirectories(rootfs.resolve("golem/input")).resolve("from-image.txt"), "shipped in the image\n");
        Files.writeString(Files.createDirectories(rootfs.resolve("opt/app")).resolve("data.txt"), "shipped in the image\n");
        Files.createDirectories(rootfs.resolve("golem/work"));
        Files.createDirectories(rootfs.resolve("root"));
        Files.createDirectories(rootfs.resolve("tmp"));
        ContainerConfig config = ContainerConfig.empty()
                .withEnv(List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"))
                .withWorkingDir("/golem/work")
                .withVolumes(List.of("/golem/input", "/golem/output", "/golem/work"))
                .withEntrypoint(List.of("/bin/sh", "-c", "echo ran > /opt/app/entrypoint-ran"))
                .withCmd(List.of("/bin/touch", "/opt/app/cmd-ran"));
        Path gvmi = workDir.resolve("behaviours.gvmi");
        new GvmiConverter(Compression.LZO, ProgressListener.NONE).convertRootfs(rootfs, config, gvmi);
        sandbox.pushImage(gvmi, TAG);
    }
}
