package dev.golemsandbox.activity.transfer;

import dev.golemsandbox.activity.exescript.TransferUrl;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The provider's end of gftp: files the requestor publishes or receives at
 * {@code gftp://<node>/<id>}. Implemented over the GSB WebSocket services by
 * {@link dev.golemsandbox.gsb.GftpOverGsb}.
 *
 * <pre>{@code
 * gftp.fetch(TransferUrl.parse("gftp://0xabc/9f2e"), hostFileInTheVolume);
 * }</pre>
 */
public interface GftpClient {

    /**
     * Copies the file the requestor publishes at {@code url} into {@code target} (which must not
     * be read until this returns). Streams in chunks.
     *
     * @throws IOException with a message for the requestor when the file cannot be had
     */
    void fetch(TransferUrl url, Path target) throws IOException, InterruptedException;

    /**
     * Sends {@code source} to the requestor, who receives it at {@code url}; returns once the
     * requestor has acknowledged the end of the file.
     */
    void send(Path source, TransferUrl url) throws IOException, InterruptedException;
}
