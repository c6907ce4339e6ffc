package dev.golemsandbox.activity.transfer;

/** A transfer could not be done; the message is what the requestor sees as the command's error. */
public final class TransferFailedException extends Exception {

    public TransferFailedException(String message) {
        super(message);
    }
}
