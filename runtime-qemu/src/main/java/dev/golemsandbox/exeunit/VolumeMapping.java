package dev.golemsandbox.exeunit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Maps {@code container:} paths to host files. A path must fall under a volume (the longest
 * volume prefix wins) and stay inside it: {@code ..} that climbs out, or a symlink the guest
 * planted that points out of the volume's host directory, makes it "path not found in container".
 */
final class VolumeMapping {

    private final List<Volume> volumes;

    VolumeMapping(List<Volume> volumes) {
        this.volumes = new ArrayList<>(volumes);
        this.volumes.sort(Comparator.comparingInt((Volume v) -> v.containerPath().length()).reversed());
    }

    Path hostPathOf(String containerPath) throws ExeUnitException.PathNotFound {
        String path = containerPath.startsWith("container:") ? containerPath.substring("container:".length()) : containerPath;
        if (!path.startsWith("/")) {
            throw new ExeUnitException.PathNotFound(containerPath);
        }
        String collapsed = path.replaceAll("/+", "/");
        for (Volume volume : volumes) {
            String root = volume.containerPath().replaceAll("/+$", "");
            if (!collapsed.equals(root) && !collapsed.startsWith(root + "/")) {
                continue;
            }
            String rest = collapsed.substring(root.length()).replaceAll("^/+", "");
            Path relative = Path.of(rest.isEmpty() ? "." : rest).normalize();
            if (relative.startsWith("..")) {
                throw new ExeUnitException.PathNotFound(containerPath);
            }
            Path hostDir = volume.hostDir().toAbsolutePath().normalize();
            Path host = hostDir.resolve(relative).normalize();
            if (!host.startsWith(hostDir) || escapesThroughSymlink(hostDir, host)) {
                throw new ExeUnitException.PathNotFound(containerPath);
            }
            return host;
        }
        throw new ExeUnitException.PathNotFound(containerPath);
    }

    /** Whether the deepest existing ancestor of {@code host} really lies outside {@code hostDir}. */
    private static boolean escapesThroughSymlink(Path hostDir, Path host) {
        try {
            Path realRoot = hostDir.toRealPath();
            Path existing = host;
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return true;
            }
            return !existing.toRealPath().startsWith(realRoot);
        } catch (IOException e) {
            return true;
        }
    }
}
