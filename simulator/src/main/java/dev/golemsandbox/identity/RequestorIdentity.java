package dev.golemsandbox.identity;

/**
 * The identity of the sandbox's requestor node, as {@code /me} shows it. Derived from the main app
 * key, so it stays the same as long as that key does; every other app key belongs to it too.
 *
 * @param nodeId the node id ({@code 0x} + 40 hex), also the requestor's payment address
 */
public record RequestorIdentity(String nodeId) {

    /** The identity belonging to the main {@code appKey}. */
    public static RequestorIdentity forAppKey(String appKey) {
        return new RequestorIdentity(NodeId.derive("golem-sandbox requestor " + appKey));
    }
}
