package dev.golemsandbox.image;

import java.nio.file.Path;

/**
 * Converts a saved image in a separate process, which a test starts as an unprivileged user (owners
 * survive without root) or with its own working directory and environment (what mksquashfs could
 * be tricked into doing stays observable). Arguments: archive, output GVMI file.
 */
public final class SeparateProcessConversion {

    private SeparateProcessConversion() {
    }

    public static void main(String[] args) throws Exception {
        new GvmiConverter(Compression.LZO, ProgressListener.NONE)
                .convertArchive(Path.of(args[0]), ConfigOverrides.none(), Path.of(args[1]));
    }
}
