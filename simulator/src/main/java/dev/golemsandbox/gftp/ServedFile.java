package dev.golemsandbox.gftp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One file the requestor offers through a GSB service {@code /public/gftp/<id>}: it answers the
 * requests the sandbox's provider sends over the service's WebSocket, one at a time, in order.
 */
interface ServedFile extends AutoCloseable {

    /** The GSB components the service is bound with. */
    List<String> components();

    /**
     * The reply frame to {@code request}.
     *
     * @throws IOException when the request cannot be answered; the caller replies with its message as the error
     */
    ByteBuffer answer(GsbRequest request) throws IOException;

    /** Releases the file; later requests fail. */
    @Override
    void close();
}
