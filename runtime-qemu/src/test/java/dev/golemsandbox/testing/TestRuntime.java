package dev.golemsandbox.testing;

import dev.golemsandbox.exeunit.QemuVmRuntime;
import dev.golemsandbox.exeunit.RuntimeSettings;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.image.ProgressListener;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.ImageStoreException;
import dev.golemsandbox.store.StoredImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Data directories for tests that boot VMs or run a whole sandbox, never the user's own.
 *
 * <ul>
 * <li>{@link #sharedCache()}: what is expensive to make and never changes once made, built once
 *     and shared by every test and run: the guest kernel and initramfs (with the accelerator
 *     verdict) and the default image. {@code $GOLEM_SANDBOX_HOME} when set ({@code .ci/test} sets it
 *     to {@code $GOLEM_SANDBOX_TEST_HOME} or {@code target/test-home}), else a fixed directory
 *     under the temp dir.
 * <li>{@link #home(Path)}: a test's own data directory for everything it writes (recordings, app
 *     key, logs, the running-sandbox record, images it pushes), whose {@code guest/} is a link to
 *     the shared cache's and whose image store starts with a copy of the default image.
 * </ul>
 *
 * <pre>{@code
 * @TempDir static Path temp;
 * SandboxHome home = TestRuntime.home(temp.resolve("home"));   // per test class
 * QemuVmRuntime runtime = TestRuntime.create();                // reads only the shared guest assets
 * }</pre>
 */
public final class TestRuntime {

    private TestRuntime() {
    }

    /** The cache of guest assets and the default image; tests write nothing else here. */
    public static SandboxHome sharedCache() {
        String explicit = System.getenv(SandboxHome.ENV);
        if (explicit != null && !explicit.isBlank()) {
            return new SandboxHome(Path.of(explicit).toAbsolutePath());
        }
        return new SandboxHome(Path.of(System.getProperty("java.io.tmpdir"), "golem-sandbox-test-home"));
    }

    /**
     * A fresh data directory at {@code dir} (created; give each test class its own, e.g. under its
     * {@code @TempDir}) that reuses the shared guest assets and starts with the default image.
     * Builds the shared default image on first use (seconds).
     */
    public static SandboxHome home(Path dir) throws IOException {
        SandboxHome shared = sharedCache();
        SandboxHome own = new SandboxHome(Files.createDirectories(dir.toAbsolutePath()));
        Files.createDirectories(shared.guest());
        // A link, not a copy: the kernel and initramfs are built under a lock in the shared cache, once.
        Files.createSymbolicLink(own.guest(), shared.guest());
        try {
            StoredImage defaultImage = ImageStore.open(shared).defaultImage(ProgressListener.NONE);
            ImageStore store = ImageStore.open(own);
            store.put(defaultImage.file(), defaultImage.sha3());
            store.tag(ImageStore.DEFAULT_IMAGE_TAG, defaultImage.sha3());
        } catch (ImageStoreException e) {
            throw new IOException("cannot give " + dir + " the default image: " + e.getMessage(), e);
        }
        return own;
    }

    /** A runtime on the shared guest assets that prints its progress lines (kernel download, probe). */
    public static QemuVmRuntime create() {
        return new QemuVmRuntime(RuntimeSettings.of(sharedCache()).withProgress(line -> System.out.println("[runtime] " + line)));
    }
}
