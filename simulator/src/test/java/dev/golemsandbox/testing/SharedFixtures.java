package dev.golemsandbox.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files under {@code ../shared/fixtures} beside the repository (CI clones the repository with
 * {@code shared/} next to it). A missing fixture fails the test that needs it: it is never skipped.
 */
public final class SharedFixtures {

    private SharedFixtures() {
    }

    /** {@code alpine.gvmi}, written by the real gvmkit-build; its /golem/work/hello.txt holds {@link #ALPINE_HELLO}. */
    public static Path alpineGvmi() {
        return find("alpine.gvmi");
    }

    /** The SHA3-224 of {@code alpine.gvmi}, as its README states it. */
    public static final String ALPINE_SHA3 = "72407bd5bb8da8b6d2b8983ef01dc8894e3703efb3849931156f07b1";

    /** The line in {@code /golem/work/hello.txt} of {@code alpine.gvmi}. */
    public static final String ALPINE_HELLO = "hello from my local image \uD83D\uDC4B";

    private static Path find(String name) {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/fixtures").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("the fixture " + name + " is not beside the repository (../shared/fixtures from "
                + here + ")");
    }
}
