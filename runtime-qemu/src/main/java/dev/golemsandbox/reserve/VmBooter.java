package dev.golemsandbox.reserve;

import dev.golemsandbox.agent.AgentListener;
import dev.golemsandbox.vm.BootPriority;
import dev.golemsandbox.vm.QemuVm;
import java.io.IOException;
import java.nio.file.Path;

/** Boots a VM for the reserve the way the runtime boots one for an activity (its assets, accelerator, naming). */
@FunctionalInterface
public interface VmBooter {

    /**
     * Boots a VM of {@code key}'s image and shape with {@code shareDir} as its 9p share, and returns
     * once its agent is ready.
     *
     * @param priority what QEMU runs at: niced until someone waits for the VM
     */
    QemuVm boot(ReserveKey key, Path shareDir, Path consoleLog, AgentListener listener, BootPriority priority) throws IOException;
}
