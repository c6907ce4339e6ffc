package dev.golemsandbox.sandbox;

import dev.golemsandbox.home.AtomicFile;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.Ids;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.identity.AppKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The main app key requestors present: the one configured, else the one kept in the data
 * directory ({@code <data dir>/appkey}), else a new random one written there (owner-only), so a
 * sandbox keeps its key from run to run and scripts can keep their {@code YAGNA_APPKEY}.
 */
public final class AppKey {

    private AppKey() {
    }

    /** Where the generated key is kept. */
    public static Path file(SandboxHome home) {
        return home.root().resolve("appkey");
    }

    /**
     * The key to use: {@code configured} if not null, else the kept one, else a new one.
     *
     * @throws UserError if a key is malformed or the data directory cannot be written
     */
    public static String resolve(String configured, SandboxHome home) {
        if (configured != null) {
            return check(configured.trim(), "the configured app key (GOLEM_SANDBOX_APPKEY / --app-key)");
        }
        Path file = file(home);
        try {
            if (Files.exists(file)) {
                return check(Files.readString(file, StandardCharsets.UTF_8).trim(), "the app key in " + file);
            }
            String key = Ids.hex(16);
            AtomicFile.write(file, (key + "\n").getBytes(StandardCharsets.UTF_8));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // A file system without POSIX permissions keeps the default ones.
            }
            return key;
        } catch (IOException e) {
            throw new UserError(UserError.UNAVAILABLE, "cannot keep the app key in " + file + ": " + e.getMessage(),
                    "choose a writable data directory with --data-dir or GOLEM_SANDBOX_HOME");
        }
    }

    private static String check(String key, String what) {
        if (!AppKeys.KEY_FORMAT.matcher(key).matches()) {
            throw new UserError(what + " must be 8-256 characters of letters, digits and ._~+/=-");
        }
        return key;
    }
}
