package dev.golemsandbox.activity;

import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.VmRuntime;
import java.util.List;
import java.util.Optional;

/**
 * What the activity API needs to know of an agreement: who the provider is, what it runs
 * activities with, how big each VM is, and which image the requestor asked for.
 *
 * @param agreementId  the agreement's id
 * @param state        the agreement's state as the market API names it ("Approved", "Terminated", ...)
 * @param providerId   the provider's node id
 * @param providerName the provider's {@code golem.node.id.name}
 * @param runtime      the provider's runtime: each activity gets its own exe-unit from it
 * @param resources    the VM size from the offer's {@code golem.inf.cpu.threads}, {@code golem.inf.mem.gib},
 *                     {@code golem.inf.storage.gib}
 * @param taskPackage  the demand's {@code golem.srv.comp.task_package} ({@code hash:sha3:<hash>:<url>}), if any
 * @param usageVector  the offer's {@code golem.com.usage.vector}, e.g.
 *                     {@code ["golem.usage.cpu_sec","golem.usage.duration_sec"]}
 */
public record ActivityAgreement(String agreementId, String state, String providerId, String providerName,
                                VmRuntime runtime, Resources resources, Optional<String> taskPackage,
                                List<String> usageVector) {

    /** The market API's name of the only state in which activities may be created. */
    public static final String APPROVED = "Approved";

    public ActivityAgreement {
        usageVector = List.copyOf(usageVector);
    }

    public boolean approved() {
        return APPROVED.equals(state);
    }
}
