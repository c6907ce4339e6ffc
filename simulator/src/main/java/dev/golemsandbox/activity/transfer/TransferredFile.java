package dev.golemsandbox.activity.transfer;

import dev.golemsandbox.blob.ContentHash;

/**
 * A file that crossed the requestor's end of a recorded {@code transfer}: an upload into the VM
 * (kept in the blob store under its hash) or a download out of it (only its hash is kept).
 */
public record TransferredFile(Direction direction, ContentHash content) {

    public enum Direction {
        /** From the requestor (gftp, http) into the VM. */
        UPLOAD,
        /** From the VM to the requestor. */
        DOWNLOAD
    }
}
