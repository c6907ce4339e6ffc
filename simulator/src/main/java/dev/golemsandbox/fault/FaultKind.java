package dev.golemsandbox.fault;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The failures a requestor can ask for, each named as the API takes it and with the parameters it
 * reads. Each surfaces the way a provider's failure of that kind reaches a requestor.
 */
public enum FaultKind {
    /** The provider rejects counter-proposals, with {@code reason}. */
    REJECT_PROPOSALS("reject-proposals", Set.of("reason")),
    /** The provider never approves a confirmed agreement: the requestor's wait times out. */
    NO_APPROVAL("no-approval", Set.of()),
    /** The provider terminates the agreement {@code afterSeconds} after approving it, with {@code reason}. */
    TERMINATE("terminate", Set.of("afterSeconds", "reason")),
    /** The VM dies at command {@code atCommand} (a command name or index) or {@code afterSeconds} after start. */
    CRASH_VM("crash-vm", Set.of("atCommand", "afterSeconds")),
    /** Every command waits {@code latencyMs} before it runs. */
    SLOW_EXEC("slow-exec", Set.of("latencyMs")),
    /** The result stream of a batch is cut after its first event. */
    DROP_STREAM("drop-stream", Set.of()),
    /** The provider never sends the invoice of an agreement that ended. */
    NO_INVOICE("no-invoice", Set.of()),
    /** Debit notes every second for each activity, whatever the agreement says. */
    DEBIT_NOTE_STORM("debit-note-storm", Set.of()),
    /** A {@code transfer} to or from the requestor breaks off after {@code afterBytes}, as on a reset connection. */
    FAIL_TRANSFER("fail-transfer", Set.of("afterBytes")),
    /** The VM's disk is full: its writes, and transfers into its volumes, fail with ENOSPC. */
    DISK_FULL("disk-full", Set.of());

    private final String apiName;
    private final Set<String> parameters;

    FaultKind(String apiName, Set<String> parameters) {
        this.apiName = apiName;
        this.parameters = parameters;
    }

    public String apiName() {
        return apiName;
    }

    /** The parameter names this kind reads, besides the common provider, activity and times. */
    public Set<String> parameters() {
        return parameters;
    }

    public static Optional<FaultKind> byApiName(String name) {
        return Arrays.stream(values()).filter(k -> k.apiName.equals(name)).findFirst();
    }

    /** Every kind's API name, for error messages. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(FaultKind::apiName).toList());
    }
}
