package dev.golemsandbox.registry;

/**
 * What the registry says about an image it cannot answer: which tag or hash, why the upstream
 * did not have it, and every way to make it available here.
 */
final class MissingImageMessage {

    private MissingImageMessage() {
    }

    /**
     * @param notFound the store's own message ("no image tagged x in the local store")
     * @param tag the tag asked for, or null for a hash
     * @param whyNotUpstream why the upstream registry did not answer it
     */
    static String of(String notFound, String tag, String whyNotUpstream) {
        String name = tag != null ? tag : "REPO:TAG";
        String push = tag != null ? "push a .gvmi file (golem-sandbox image push -t " + tag + " FILE)"
                : "push the .gvmi file whose SHA3-224 this is (golem-sandbox image push FILE)";
        return notFound + ", and no stand-in answers it; " + whyNotUpstream + ". To make it available: "
                + push + ", build it from a Dockerfile (golem-sandbox image build -t " + name + " DIR),"
                + " convert a Docker image or root filesystem (golem-sandbox image convert SOURCE -t " + name + "),"
                + " map it to a local image as a stand-in (stand-ins.json in the data directory, or GOLEM_SANDBOX_STAND_INS),"
                + " or pull it from a registry that has it (golem-sandbox up --upstream-registry URL)";
    }
}
