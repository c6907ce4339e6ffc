package dev.golemsandbox.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSourceEditTest {

    @TempDir
    Path tree;

    private final KernelSourceEdit edit = new KernelSourceEdit("drivers/x.c", "while (ret > 0);", "while (ret > 0 && n < 64);", "why");

    @Test
    void replacesTheTextWhereItIsFoundOnce() throws Exception {
        Path file = write("int f(void) {\n\tdo { n++; } while (ret > 0);\n}\n");
        assertThat(edit.applyTo(tree)).isTrue();
        assertThat(Files.readString(file)).isEqualTo("int f(void) {\n\tdo { n++; } while (ret > 0 && n < 64);\n}\n");
    }

    @Test
    void leavesASourceItDoesNotFitAsItIs() throws Exception {
        String twice = "while (ret > 0); while (ret > 0);";
        Path file = write(twice);
        assertThat(edit.applyTo(tree)).as("found twice").isFalse();
        assertThat(Files.readString(file)).isEqualTo(twice);
        write("while (ret >= 0);");
        assertThat(edit.applyTo(tree)).as("not found").isFalse();
        Files.delete(file);
        assertThat(edit.applyTo(tree)).as("no such file").isFalse();
    }

    @Test
    void theRecipeDigestChangesWithTheEditsAndTheFragment() throws Exception {
        KernelConfigFragment bundled = KernelConfigFragment.bundled();
        assertThat(SandboxKernel.digest(bundled)).matches("[0-9a-f]{12}").isNotEqualTo(bundled.digest())
                .isNotEqualTo(SandboxKernel.digest(KernelConfigFragment.parse("CONFIG_SMP=y\n")));
    }

    private Path write(String text) throws Exception {
        Path file = tree.resolve(edit.file());
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
