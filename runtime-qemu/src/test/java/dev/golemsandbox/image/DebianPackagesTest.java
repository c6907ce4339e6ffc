package dev.golemsandbox.image;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A package apt cannot resolve fails the stand-in build with apt's own reason, in one line. */
class DebianPackagesTest {

    @TempDir
    Path dir;

    @Test
    void anUnknownPackageIsRefusedWithAptsReason() {
        assertThatThrownBy(() -> DebianPackages.download(List.of("golem-sandbox-no-such-package"), dir, ProgressListener.NONE))
                .isInstanceOf(ImageConversionException.class)
                .hasMessageStartingWith("apt-get could not fetch golem-sandbox-no-such-package: ")
                .hasMessageContaining("Unable to locate package golem-sandbox-no-such-package")
                .hasMessageEndingWith("(is a Debian mirror reachable, and have apt's lists been fetched with apt-get update?)");
    }
}
