package dev.golemsandbox.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Package files land where a merged-/usr Debian has them, whatever the package's own layout. */
class DebianRootfsTest {

    @Test
    void topLevelBinAndLibDirectoriesMoveUnderUsr() {
        assertThat(DebianRootfs.intoUsr("./bin/sh")).isEqualTo("usr/bin/sh");
        assertThat(DebianRootfs.intoUsr("./sbin/")).isEqualTo("usr/sbin/");
        assertThat(DebianRootfs.intoUsr("./lib/x86_64-linux-gnu/libc.so.6")).isEqualTo("usr/lib/x86_64-linux-gnu/libc.so.6");
        assertThat(DebianRootfs.intoUsr("./lib64/ld-linux-x86-64.so.2")).isEqualTo("usr/lib64/ld-linux-x86-64.so.2");
    }

    @Test
    void everythingElseStaysWhereItIs() {
        assertThat(DebianRootfs.intoUsr("./usr/bin/node")).isEqualTo("usr/bin/node");
        assertThat(DebianRootfs.intoUsr("./etc/binfmt.d/")).isEqualTo("etc/binfmt.d/");
        assertThat(DebianRootfs.intoUsr("./library/x")).as("only whole path segments move").isEqualTo("library/x");
        assertThat(DebianRootfs.intoUsr("./")).isEqualTo("./");
    }
}
