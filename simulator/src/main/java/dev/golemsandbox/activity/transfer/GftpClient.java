package dev.golemsandbox.activity.transfer;

import dev.golemsandbox.activity.exescript.TransferUrl;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * The provider's end of gftp: files the requestor publishes or receives at
 * {@code gftp://<node>/<id>}. Implemented over the GSB WebSocket services by
 * {@link dev.golemsandbox.gsb.GftpOverGsb}.
 *
 * <pre>{@code
 * gftp.fetch(TransferUrl.parse("gftp://0xabc/9f2e"), newFileInTheVolume, bytesLeft);
 * }</pre>
 */
public interface GftpClient {

    /**
     * Copies the file the requestor publishes at {@code url} into {@code target}, an empty file
     * open for writing (which must not be read until this returns). Streams in chunks.
     *
     * @param maxBytes the most it may write (the space left in the volumes)
     * @throws IOException with a message for the requestor when the file cannot be had, or
     *                     "no space left on device" when it is larger than {@code maxBytes}
     */
    void fetch(TransferUrl url, FileChannel target, long maxBytes) throws IOException, InterruptedException;

    /**
     * Sends the content of {@code source}, a file open for reading, to the requestor, who receives
     * it at {@code url}; returns once the requestor has acknowledged the end of the file.
     */
    void send(FileChannel source, TransferUrl url) throws IOException, InterruptedException;

    /**
     * Sends the content of {@code source} as {@link #send} does, but never the end of the file:
     * the requestor is left with a partial file, as when a provider's connection breaks mid-way.
     */
    default void sendUnfinished(FileChannel source, TransferUrl url) throws IOException, InterruptedException {
        throw new IOException("this gftp client cannot leave a transfer unfinished");
    }
}
