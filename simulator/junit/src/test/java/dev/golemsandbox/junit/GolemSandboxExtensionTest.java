package dev.golemsandbox.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.golemsandbox.home.SandboxHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the extension keeps its data: never in the user's own data directory. */
class GolemSandboxExtensionTest {

    @TempDir
    Path project;

    @Test
    void golemSandboxHomeWins() {
        Path chosen = project.resolve("ci-cache");
        assertEquals(chosen, GolemSandboxExtension.dataDirectory(Map.of(SandboxHome.ENV, chosen.toString()), project).root());
    }

    @Test
    void withoutItTheBuildDirectoryHoldsTheData() throws Exception {
        Files.createDirectories(project.resolve("target"));
        assertEquals(project.resolve("target").resolve("golem-sandbox-home"),
                GolemSandboxExtension.dataDirectory(Map.of(), project).root());
    }

    @Test
    void withNoBuildDirectoryARunOfItsOwnInTheTempDirectory() {
        SandboxHome first = GolemSandboxExtension.dataDirectory(Map.of("XDG_DATA_HOME", project.toString()), project);
        Path userData = SandboxHome.fromEnvironment().root();
        assertTrue(Files.isDirectory(first.root()));
        assertTrue(first.root().startsWith(Path.of(System.getProperty("java.io.tmpdir"))), first.root().toString());
        assertFalse(first.root().startsWith(project), "not $XDG_DATA_HOME/golem-sandbox");
        assertFalse(first.root().equals(userData), "not the user's data directory " + userData);
        assertSame(first, GolemSandboxExtension.dataDirectory(Map.of(), project), "one directory per run");
    }
}
