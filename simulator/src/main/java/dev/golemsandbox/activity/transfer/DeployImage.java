package dev.golemsandbox.activity.transfer;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The image file deploy boots.
 *
 * @param file the GVMI file (read only)
 * @param note set when the image is not exactly the one the task package names (a stand-in for a
 *             public image hash), saying what stands in
 */
public record DeployImage(Path file, Optional<String> note) {

    static DeployImage exactly(Path file) {
        return new DeployImage(file, Optional.empty());
    }
}
