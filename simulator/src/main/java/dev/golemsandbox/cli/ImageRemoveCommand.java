package dev.golemsandbox.cli;

import dev.golemsandbox.store.ImageRemoval;
import dev.golemsandbox.store.ImageStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code image rm <repo:tag|hash>}: untags (and deletes the file once untagged), or by hash deletes the image and its tags. */
@Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true,
        description = "Remove a tag from the local registry (the image goes with its last tag), or an image and all its tags by hash.")
final class ImageRemoveCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IMAGE", description = "A repo:tag, or a hash or hash prefix.")
    String reference;

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ImageRemoval removal = ImageStore.open(common.home()).remove(reference);
        PrintWriter out = spec.commandLine().getOut();
        removal.untagged().forEach(tag -> out.println("untagged: " + tag));
        if (removal.deletedSha3() != null) {
            out.println("deleted:  " + removal.deletedSha3());
        }
        out.flush();
        return 0;
    }
}
