package dev.golemsandbox.activity.transfer;

import dev.golemsandbox.activity.exescript.TransferUrl;

/**
 * The texts a provider's exe-unit gives a failed transfer, for the failures the sandbox injects:
 * yagna wraps ya-transfer's error in "Local service error: Transfer error: ...", an HTTP
 * connection's I/O error as "HTTP error: io error: <kind>", any other as the OS error's text.
 */
final class ExeUnitErrors {

    private static final String TRANSFER = "Local service error: Transfer error: ";

    /** A full disk under the file being written (ENOSPC). */
    static final String NO_SPACE = TRANSFER + "IO error: No space left on device (os error 28)";

    private ExeUnitErrors() {
    }

    /** The connection to {@code remote}, the requestor's end of the transfer, was reset. */
    static String connectionReset(TransferUrl remote) {
        return remote.scheme() == TransferUrl.Scheme.HTTP
                ? TRANSFER + "HTTP error: io error: ConnectionReset"
                : TRANSFER + "IO error: Connection reset by peer (os error 104)";
    }
}
