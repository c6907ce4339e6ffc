package dev.golemsandbox.exeunit;

import java.nio.file.Path;

/**
 * A volume of a deployed image.
 *
 * @param containerPath where the VM sees it, e.g. {@code /golem/input}
 * @param hostDir       the host directory behind it; writes in the VM land here
 */
public record Volume(String containerPath, Path hostDir) {
}
