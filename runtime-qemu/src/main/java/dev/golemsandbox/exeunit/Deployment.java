package dev.golemsandbox.exeunit;

import java.util.List;

/**
 * What deploy found in the image: its volumes, each backed by a fresh empty host directory.
 * Reported by the activity API as {@code {"vols":[{"name","path"}], ...}}.
 */
public record Deployment(List<Volume> volumes) {

    public Deployment {
        volumes = List.copyOf(volumes);
    }
}
