package dev.golemsandbox.junit;

import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.GolemRequestor;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * A sandbox started for tests by {@link GolemSandboxTest}: where it listens, a requestor client to
 * drive it, and what only a sandbox can show (the host directories behind an activity's volumes).
 */
public interface GolemSandbox {

    /** {@code YAGNA_API_URL}. */
    URI apiUrl();

    /** {@code YAGNA_APPKEY}. */
    String appKey();

    /** {@code GOLEM_REGISTRY_URL}: the sandbox serves the image registry itself. */
    URI registryUrl();

    /** The three variables a requestor process (golem-js, ...) needs to use this sandbox. */
    default Map<String, String> requestorEnvironment() {
        return Map.of("YAGNA_API_URL", apiUrl().toString(), "YAGNA_APPKEY", appKey(),
                "GOLEM_REGISTRY_URL", registryUrl().toString());
    }

    /** A Java requestor connected to the sandbox (shared by the tests of the sandbox; do not close it). */
    GolemRequestor requestor();

    /**
     * Adds a GVMI file to the sandbox's registry under {@code tag} (e.g. {@code "my/app:test"}), so
     * that {@code RentalSpec.imageTag(tag)} finds it.
     *
     * @return the image's SHA3-224 hash
     */
    String pushImage(Path gvmi, String tag);

    /**
     * The host directory behind the volume mounted at {@code containerPath} (e.g. {@code /golem/output})
     * in the activity's VM: what the VM writes there lands here. Legal once the activity is deployed.
     */
    Path hostDirOf(Activity activity, String containerPath);

    /**
     * Injects a failure, as {@code POST /_sandbox/faults} does, e.g.
     * {@code {"fault": "crash-vm", "atCommand": "run", "times": 1}}.
     *
     * @return the fault's id, for {@link #removeFault}
     * @throws IllegalArgumentException with the sandbox's reason when the fault is not valid
     */
    String addFault(String faultJson);

    /** Removes a fault added by {@link #addFault} (or by the builder). */
    void removeFault(String id);
}
