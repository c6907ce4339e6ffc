package dev.golemsandbox.identity;

/**
 * The identity of the sandbox's requestor node, as {@code /me} shows it. Derived from the app key,
 * so it stays the same as long as the key does.
 *
 * @param nodeId the node id ({@code 0x} + 40 hex), also the requestor's payment address
 * @param name   the identity's name
 */
public record RequestorIdentity(String nodeId, String name) {

    /** The identity belonging to {@code appKey}. */
    public static RequestorIdentity forAppKey(String appKey) {
        return new RequestorIdentity(NodeId.derive("golem-sandbox requestor " + appKey), "golem-sandbox-requestor");
    }
}
