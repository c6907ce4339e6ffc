package dev.golemsandbox.exeunit;

import dev.golemsandbox.volume.ShareModel;
import dev.golemsandbox.volume.VolumePath;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Maps {@code container:} paths to places in volumes. A path must fall under a volume (the
 * longest volume prefix wins) and stay inside it: {@code ..} that climbs out, or 9p's own metadata
 * directory, makes it "path not found in container". Links are not looked at here: every open
 * goes through {@link dev.golemsandbox.volume.VolumeFiles}, which never follows one.
 */
final class VolumeMapping {

    private final List<Volume> volumes;

    VolumeMapping(List<Volume> volumes) {
        this.volumes = new ArrayList<>(volumes);
        this.volumes.sort(Comparator.comparingInt((Volume v) -> v.containerPath().length()).reversed());
    }

    VolumePath volumePathOf(String containerPath) throws ExeUnitException.PathNotFound {
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
            Path relative;
            try {
                relative = Path.of(rest.isEmpty() ? "." : rest).normalize();
            } catch (InvalidPathException e) {
                throw new ExeUnitException.PathNotFound(containerPath);
            }
            if (relative.startsWith("..")) {
                throw new ExeUnitException.PathNotFound(containerPath);
            }
            for (Path name : relative) {
                if (name.toString().equals(ShareModel.METADATA_DIR)) {
                    throw new ExeUnitException.PathNotFound(containerPath);
                }
            }
            String normalized = relative.toString().equals(".") || relative.toString().isEmpty() ? "" : relative.toString();
            return new VolumePath(volume.hostDir().toAbsolutePath().normalize(), normalized);
        }
        throw new ExeUnitException.PathNotFound(containerPath);
    }
}
