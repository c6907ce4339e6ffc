package dev.golemsandbox.image;

import dev.golemsandbox.gvmi.ContainerConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * A GVMI file written by {@link GvmiConverter}.
 *
 * @param file the GVMI file
 * @param size its size in bytes
 * @param sha3 SHA3-224 of the whole file, hex: the image hash
 * @param config the container config in its trailer
 * @param compression the squashfs compression used
 * @param warnings lints and notes to show the user (never fatal)
 */
public record ConversionResult(Path file, long size, String sha3, ContainerConfig config,
                               Compression compression, List<String> warnings) {

    public ConversionResult {
        warnings = List.copyOf(warnings);
    }
}
