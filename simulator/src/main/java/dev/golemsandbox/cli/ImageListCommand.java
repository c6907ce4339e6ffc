package dev.golemsandbox.cli;

import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.StandIn;
import dev.golemsandbox.store.StoredImage;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code image ls}: the images in the local registry, one row per tag with where each came from
 * (local, pulled from an upstream registry, served by a requestor), then the stand-ins.
 */
@Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true,
        description = "List the images in the local registry and the public tags answered by stand-ins.")
final class ImageListCommand implements Callable<Integer> {

    private static final String ROW = "%-40s %-14s %-9s %s%n";

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ImageStore store = ImageStore.open(common.home());
        PrintWriter out = spec.commandLine().getOut();
        List<StoredImage> images = store.list();
        out.printf(ROW, "TAG", "SHA3-224", "SIZE", "ORIGIN");
        for (StoredImage image : images) {
            String hash = image.sha3().substring(0, 12);
            String size = HumanSize.shortly(image.size());
            if (image.tags().isEmpty()) {
                out.printf(ROW, "<none>", hash, size, image.origin());
            }
            for (String tag : image.tags()) {
                out.printf(ROW, tag, hash, size, image.origin());
            }
        }
        out.println();
        out.println("stand-ins (public tags and hashes the offline sandbox answers with a local image, built on first use):");
        for (StandIn standIn : store.standIns().all().values()) {
            out.printf("  %-38s -> %s (%s)%n", standIn.publicTag(), standIn.target(), standIn.source());
            out.printf("  %-38s    holds %s%n", "", standIn.holds());
        }
        out.flush();
        return 0;
    }
}
