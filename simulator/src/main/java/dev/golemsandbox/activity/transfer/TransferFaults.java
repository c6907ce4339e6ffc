package dev.golemsandbox.activity.transfer;

import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Failures injected into one {@code transfer}: whether it breaks off after some bytes (asked
 * only of a transfer that crosses the requestor's end, so that only those count), and whether the
 * VM's disk is full, so nothing can be written into its volumes.
 */
public record TransferFaults(Supplier<OptionalLong> breaksAfter, boolean diskFull) {

    public static final TransferFaults NONE = new TransferFaults(OptionalLong::empty, false);
}
