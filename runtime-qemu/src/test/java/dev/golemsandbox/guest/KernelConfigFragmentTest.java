package dev.golemsandbox.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelConfigFragmentTest {

    @TempDir
    Path temp;

    private static final KernelConfigFragment FRAGMENT = KernelConfigFragment.parse("""
            # a comment
            CONFIG_VIRTIO_BLK=y
            CONFIG_LOCALVERSION="-golem-sandbox"
            # CONFIG_ACPI is not set
            # CONFIG_IPV6_SIT is not set
            """);

    @Test
    void readsSetAndUnsetOptionsAndIgnoresComments() {
        assertThat(FRAGMENT.options()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                "CONFIG_VIRTIO_BLK", "y", "CONFIG_LOCALVERSION", "\"-golem-sandbox\"", "CONFIG_ACPI", "n", "CONFIG_IPV6_SIT", "n"));
    }

    @Test
    void aConfigThatMeetsEveryOptionHasNothingUnmet() throws Exception {
        Path config = Files.writeString(temp.resolve(".config"), """
                CONFIG_VIRTIO_BLK=y
                CONFIG_LOCALVERSION="-golem-sandbox"
                # CONFIG_ACPI is not set
                CONFIG_OTHER=y
                """);
        assertThat(FRAGMENT.unmetIn(config)).as("an option Kconfig does not show is off").isEmpty();
    }

    @Test
    void namesEachOptionKconfigDroppedOrChanged() throws Exception {
        Path config = Files.writeString(temp.resolve(".config"), """
                # CONFIG_VIRTIO_BLK is not set
                CONFIG_LOCALVERSION=""
                CONFIG_ACPI=y
                """);
        assertThat(FRAGMENT.unmetIn(config)).containsExactly(
                "CONFIG_VIRTIO_BLK=y (is: n)", "CONFIG_LOCALVERSION=\"-golem-sandbox\" (is: \"\")", "CONFIG_ACPI=n (is: y)");
    }

    @Test
    void theDigestFollowsTheOptionsNotTheirComments() {
        KernelConfigFragment reworded = KernelConfigFragment.parse("""
                CONFIG_VIRTIO_BLK=y
                # reworded
                CONFIG_LOCALVERSION="-golem-sandbox"
                # CONFIG_ACPI is not set
                # CONFIG_IPV6_SIT is not set
                """);
        KernelConfigFragment changed = KernelConfigFragment.parse("CONFIG_VIRTIO_BLK=m\n");
        assertThat(reworded.digest()).isEqualTo(FRAGMENT.digest()).hasSize(12).matches("[0-9a-f]{12}");
        assertThat(changed.digest()).isNotEqualTo(FRAGMENT.digest());
    }

    @Test
    void theBundledFragmentBuildsEverythingIn() throws Exception {
        KernelConfigFragment bundled = KernelConfigFragment.bundled();
        assertThat(bundled.options()).containsEntry("CONFIG_MODULES", "n").containsEntry("CONFIG_ACPI", "y")
                .containsEntry("CONFIG_PVH", "y").containsEntry("CONFIG_HW_RANDOM_VIRTIO", "y")
                .containsEntry("CONFIG_9P_FS", "y").containsEntry("CONFIG_SQUASHFS", "y").containsEntry("CONFIG_OVERLAY_FS", "y");
        assertThat(bundled.options()).allSatisfy((name, value) -> assertThat(value).as(name).isNotEqualTo("m"));
    }
}
