package dev.golemsandbox.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.home.SandboxHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guest assets cached by an earlier version of the sandbox are brought up to date, not fetched again. */
class GuestAssetsCacheTest {

    /** These tests are about the cache of Debian's kernel; the sandbox's own has GuestKernelTest. */
    private static final Map<String, String> DEBIAN_KERNEL = Map.of(GuestAssets.GUEST_KERNEL_ENV, "debian");

    @TempDir
    Path temp;

    @Test
    void aVmlinuxCachedAsExtractedIsPackedInPlaceOnFirstUse() throws Exception {
        SandboxHome home = new SandboxHome(temp);
        Path kernelDir = Files.createDirectories(home.guest().resolve("linux-image-6.1.0-1-amd64_6.1.1-1").resolve("modules"))
                .getParent();
        Files.writeString(kernelDir.resolve("modules").resolve("order"), "");
        Files.write(kernelDir.resolve("modules").resolve("wanted"), ModuleSet.GUEST_MODULES);
        Path vmlinux = SyntheticVmlinux.write(kernelDir.resolve("vmlinux"));
        var extractedMemory = SyntheticVmlinux.guestMemory(vmlinux);
        List<String> progress = new ArrayList<>();

        GuestAssets assets = GuestAssets.prepare(home, DEBIAN_KERNEL, progress::add);

        assertThat(assets.kernel()).isEqualTo(vmlinux);
        assertThat(VmlinuxPacker.isPacked(vmlinux)).isTrue();
        assertThat(SyntheticVmlinux.guestMemory(vmlinux)).isEqualTo(extractedMemory);
        assertThat(progress).anyMatch(line -> line.startsWith("packing the cached vmlinux"));
        assertThat(progress).noneMatch(line -> line.startsWith("downloading"));

        progress.clear();
        GuestAssets.prepare(home, DEBIAN_KERNEL, progress::add);
        assertThat(progress).as("the second start finds everything ready").isEmpty();
    }

    @Test
    void aKernelDirectoryBuiltForFewerModulesIsNotCurrent() throws Exception {
        Path modules = Files.createDirectories(temp.resolve("linux-image-x").resolve("modules"));
        assertThat(GuestAssets.modulesAreCurrent(modules.getParent())).as("cached before the list was kept").isFalse();
        Files.write(modules.resolve("wanted"), ModuleSet.GUEST_MODULES.subList(0, ModuleSet.GUEST_MODULES.size() - 1));
        assertThat(GuestAssets.modulesAreCurrent(modules.getParent())).as("cached before the last module was added").isFalse();
        Files.write(modules.resolve("wanted"), ModuleSet.GUEST_MODULES);
        assertThat(GuestAssets.modulesAreCurrent(modules.getParent())).isTrue();
    }
}
