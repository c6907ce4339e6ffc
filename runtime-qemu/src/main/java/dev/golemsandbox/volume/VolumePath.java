package dev.golemsandbox.volume;

import java.nio.file.Path;

/**
 * Where a path of the VM lies on the host: a volume's host directory and the path below it
 * ("" for the volume itself), checked lexically only (no "..", no 9p metadata). Open it with
 * {@link VolumeFiles}, which resolves it without following links.
 *
 * @param volumeDir the volume's host directory
 * @param relative  the path below it, components separated by '/'
 */
public record VolumePath(Path volumeDir, String relative) {

    /** The host path by name, for messages and inspection; never to be opened by name. */
    public Path hostPath() {
        return relative.isEmpty() ? volumeDir : volumeDir.resolve(relative);
    }

    /** The last component ("" for the volume itself). */
    public String name() {
        return relative.substring(relative.lastIndexOf('/') + 1);
    }

    /** The path of the directory holding it ("" for a file at the volume's top). */
    public String parent() {
        int slash = relative.lastIndexOf('/');
        return slash < 0 ? "" : relative.substring(0, slash);
    }

    /** {@code name} inside this path. */
    public VolumePath resolve(String name) {
        return new VolumePath(volumeDir, relative.isEmpty() ? name : relative + "/" + name);
    }
}
