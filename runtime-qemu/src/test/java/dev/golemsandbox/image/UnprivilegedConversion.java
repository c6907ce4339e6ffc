package dev.golemsandbox.image;

import java.nio.file.Path;

/**
 * Converts a saved image in a separate process, which a test starts as an unprivileged user to
 * show that owners survive without root. Arguments: archive, output GVMI file.
 */
public final class UnprivilegedConversion {

    private UnprivilegedConversion() {
    }

    public static void main(String[] args) throws Exception {
        new GvmiConverter(Compression.LZO, ProgressListener.NONE)
                .convertArchive(Path.of(args[0]), ConfigOverrides.none(), Path.of(args[1]));
    }
}
