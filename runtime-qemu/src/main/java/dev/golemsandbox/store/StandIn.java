package dev.golemsandbox.store;

/**
 * A public image tag the sandbox cannot download (it is offline) answered with a local image
 * instead.
 *
 * @param publicTag the tag the requestor asked for, e.g. {@code golem/alpine:latest}
 * @param target the local tag or hash that answers it
 * @param source where the mapping comes from: {@code built-in}, the env var or the config file
 */
public record StandIn(String publicTag, String target, String source) {

    /** One line for users: what was asked, what answers, and where that is configured. */
    public String note() {
        return publicTag + " is a public image the offline sandbox cannot fetch; " + target
                + " stands in for it (" + source + ")";
    }
}
