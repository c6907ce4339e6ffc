package dev.golemsandbox.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.image.StagedEntry.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mksquashfs pseudo definitions that carry owners, modes and device nodes. */
class PseudoDefinitionsTest {

    @TempDir
    Path dir;

    @Test
    void linesUseTheUntimedFormsWithOctalModes() {
        assertThat(PseudoDefinitions.definition("usr/bin/su", new StagedEntry(Kind.FILE, 04755, 0, 0, 5, 0, 0)))
                .isEqualTo("usr/bin/su m 4755 0 0");
        assertThat(PseudoDefinitions.definition("dev/sda", new StagedEntry(Kind.BLOCK_DEVICE, 0660, 0, 6, 5, 8, 0)))
                .isEqualTo("dev/sda b 660 0 6 8 0");
        assertThat(PseudoDefinitions.definition("dev/null", new StagedEntry(Kind.CHAR_DEVICE, 0666, 0, 0, 5, 1, 3)))
                .isEqualTo("dev/null c 666 0 0 1 3");
        assertThat(PseudoDefinitions.definition("run/pipe", new StagedEntry(Kind.FIFO, 0600, 7, 8, 5, 0, 0)))
                .isEqualTo("run/pipe i 600 7 8 f");
    }

    @Test
    void specialCharactersAreEscapedWithABackslash() {
        assertThat(PseudoDefinitions.escape("a b\tc\"d\\e#f'g")).isEqualTo("a\\ b\\\tc\\\"d\\\\e\\#f\\'g");
        assertThat(PseudoDefinitions.escape("plain/path.txt")).isEqualTo("plain/path.txt");
    }

    @Test
    void namesWithANewlineAreLeftOutAndCounted() throws Exception {
        TreeMap<String, StagedEntry> entries = new TreeMap<>();
        entries.put("", StagedEntry.impliedDirectory(0));
        entries.put("ok", new StagedEntry(Kind.FILE, 0644, 1, 2, 0, 0, 0));
        entries.put("bad\nname", new StagedEntry(Kind.FILE, 0644, 1, 2, 0, 0, 0));
        Path file = dir.resolve("pseudo");
        assertThat(PseudoDefinitions.write(file, entries)).isEqualTo(1);
        assertThat(Files.readString(file)).isEqualTo("ok m 644 1 2\n");
    }
}
