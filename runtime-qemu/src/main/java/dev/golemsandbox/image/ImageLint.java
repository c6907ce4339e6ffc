package dev.golemsandbox.image;

import dev.golemsandbox.gvmi.ContainerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Warnings about images that convert fine but surprise people on a provider: files hidden under
 * a VOLUME, an ENTRYPOINT or CMD that never runs, no VOLUME to transfer files through.
 */
final class ImageLint {

    private ImageLint() {
    }

    /**
     * @param hasFilesUnder tells whether the image holds anything below an absolute directory
     */
    static List<String> check(ContainerConfig config, Predicate<String> hasFilesUnder) {
        List<String> warnings = new ArrayList<>();
        if (config.volumes().isEmpty()) {
            warnings.add("the image declares no VOLUME: a provider mounts no host directory, so no file can be"
                    + " transferred to or from the VM (add e.g. VOLUME /golem/input /golem/output, or --volume)");
        }
        for (String volume : config.volumes()) {
            if (hasFilesUnder.test(volume)) {
                warnings.add("the image has files under " + volume + ", but a provider mounts an empty host directory"
                        + " over this VOLUME, hiding them; put them outside the volume");
            }
        }
        if (!config.entrypoint().isEmpty() || !config.cmd().isEmpty()) {
            warnings.add("ENTRYPOINT " + config.entrypoint() + " / CMD " + config.cmd()
                    + " are ignored by providers: nothing runs until the requestor runs a command");
        }
        return warnings;
    }
}
