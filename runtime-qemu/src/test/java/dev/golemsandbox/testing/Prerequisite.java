package dev.golemsandbox.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (root, a tool, a daemon). Missing on a developer's machine,
 * the test is skipped and says why; missing under {@code CI=true}, the test fails, so that a CI
 * run never counts a skip as a pass.
 *
 * <pre>{@code
 * Prerequisite.require(isRoot(), "root: the fixture gives files foreign owners with chown");
 * }</pre>
 */
public final class Prerequisite {

    private Prerequisite() {
    }

    /**
     * Returns when {@code met}; else skips the calling test, or fails it under {@code CI=true}.
     *
     * @param missing what the machine lacks and why the test needs it, for the report
     */
    public static void require(boolean met, String missing) {
        if (met) {
            return;
        }
        if (isCi()) {
            Assertions.fail("missing on this CI machine (CI=true, so this test fails instead of being skipped): " + missing);
        }
        Assumptions.abort("missing: " + missing + " (with CI=true this test fails instead)");
    }

    /** The process runs as root. */
    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Whether the environment says this is a CI run, where nothing may be skipped. */
    static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
