package dev.golemsandbox.store;

/**
 * A public image tag or hash the sandbox does not have (it is offline) answered with a local
 * image instead.
 *
 * @param publicTag the tag (or SHA3-224 hash) the requestor asked for, e.g. {@code golem/alpine:latest}
 * @param target the local tag or hash that answers it
 * @param source where the mapping comes from: {@code built-in}, the env var or the config file
 * @param holds what the local image really holds, for people
 */
public record StandIn(String publicTag, String target, String source, String holds) {

    /** Whether this stands in for a public image hash rather than a tag. */
    public boolean isForHash() {
        return publicTag.matches("[0-9a-f]{56}");
    }

    /** One line for users: what was asked, what answers, what it holds, and where that is configured. */
    public String note() {
        return publicTag + " is a public image the offline sandbox does not have; " + target
                + " stands in for it (" + source + "): " + holds;
    }
}
