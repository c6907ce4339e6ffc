package dev.golemsandbox.cli;

import dev.golemsandbox.http.UserError;
import dev.golemsandbox.image.ConversionResult;
import dev.golemsandbox.registry.ImageRegistryApi;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.ImageStoreException;
import dev.golemsandbox.store.ImageTag;
import dev.golemsandbox.store.StoredImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where {@code image convert} and {@code image build} put the GVMI file: {@code -o FILE} and/or
 * {@code -t repo:tag} (into the local store). With only a tag, the image is written inside the
 * store directly, without a copy. Used as a picocli mixin.
 */
final class ImageDestination {

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the GVMI file here.")
    Path output;

    @Option(names = {"-t", "--tag"}, paramLabel = "REPO:TAG", description = "Store the image in the local registry under this tag.")
    String tag;

    /**
     * @throws UserError when neither is given or the tag is invalid
     */
    void validate() {
        if (output == null && tag == null) {
            throw new UserError("say where the image goes: -o FILE.gvmi and/or -t repo:tag");
        }
        if (tag != null) {
            try {
                tag = ImageTag.parse(tag).toString();
            } catch (IllegalArgumentException e) {
                throw new UserError("-t: " + e.getMessage());
            }
        }
        if (output != null && Files.isDirectory(output)) {
            throw new UserError("-o " + output + " is a directory; give a file name such as " + output.resolve("image.gvmi"));
        }
    }

    /** Whether the local store is involved (a tag, or no file of its own). */
    boolean needsStore() {
        return tag != null || output == null;
    }

    /** The file to convert into: {@code -o}, else a temp file inside the store. */
    Path target(ImageStore store) throws IOException {
        if (output != null) {
            Path parent = output.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            return output.toAbsolutePath();
        }
        return store.newIncomingFile();
    }

    /** Stores and tags the result when a tag was given; returns the stored image, or null. */
    StoredImage store(ImageStore store, ConversionResult result) throws ImageStoreException, IOException {
        if (tag == null) {
            return null;
        }
        StoredImage stored = output != null ? store.put(result.file(), result.sha3()) : store.putMoving(result.file(), result.sha3());
        return store.tag(tag, stored.sha3());
    }

    /** Prints what a user needs: file, size, hash, tag and the task package link; warnings go to stderr. */
    void report(PrintWriter out, PrintWriter err, ConversionResult result, StoredImage stored, URI registry) {
        for (String warning : result.warnings()) {
            err.println("warning: " + warning);
        }
        err.flush();
        out.println("file:   " + (stored != null && output == null ? stored.file() : result.file()));
        out.println("size:   " + HumanSize.of(result.size()));
        out.println("sha3:   " + result.sha3());
        if (stored != null) {
            out.println("tag:    " + tag);
        }
        out.println("link:   " + ImageRegistryApi.taskPackage(registry, result.sha3()));
        out.flush();
    }
}
