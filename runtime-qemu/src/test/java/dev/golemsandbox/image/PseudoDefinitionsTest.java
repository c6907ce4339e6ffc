package dev.golemsandbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.image.StagedEntry.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mksquashfs pseudo definitions that carry owners, modes and device nodes. */
class PseudoDefinitionsTest {

    @TempDir
    Path dir;

    @Test
    void linesUseTheUntimedFormsWithOctalModes() throws Exception {
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
    void specialCharactersAreEscapedWithABackslash() throws Exception {
        assertThat(PseudoDefinitions.escape("a b\"d\\e#f'g")).isEqualTo("a\\ b\\\"d\\\\e\\#f\\'g");
        assertThat(PseudoDefinitions.escape("plain/path.txt")).isEqualTo("plain/path.txt");
    }

    @Test
    void aPathWithAControlCharacterIsNeverWritten() throws Exception {
        for (String name : List.of("bad\nname", "x\u000bf 644 0 0 true", "carriage\rreturn", "form\ffeed", "del\u007f")) {
            TreeMap<String, StagedEntry> entries = new TreeMap<>();
            entries.put("ok", new StagedEntry(Kind.FILE, 0644, 1, 2, 0, 0, 0));
            entries.put(name, new StagedEntry(Kind.FILE, 0644, 1, 2, 0, 0, 0));
            assertThatThrownBy(() -> PseudoDefinitions.write(dir.resolve("pseudo"), entries))
                    .isInstanceOf(ImageConversionException.class)
                    .hasMessage("refused to hand mksquashfs the path '" + EntryPath.printable(name) + "': it holds a control character");
        }
    }

    @Test
    void theRootIsLeftToTheRootOptions() throws Exception {
        TreeMap<String, StagedEntry> entries = new TreeMap<>();
        entries.put("", StagedEntry.impliedDirectory(0));
        entries.put("ok", new StagedEntry(Kind.FILE, 0644, 1, 2, 0, 0, 0));
        Path file = dir.resolve("pseudo");
        PseudoDefinitions.write(file, entries);
        assertThat(Files.readString(file)).isEqualTo("ok m 644 1 2\n");
    }
}
