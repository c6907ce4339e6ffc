package dev.golemsandbox.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.image.Compression;
import dev.golemsandbox.image.ConfigOverrides;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Image metadata and compression flags of {@code image convert} and {@code image build}. Used as a
 * picocli mixin.
 */
final class ImageConfigOptions {

    private static final ObjectMapper JSON = Json.mapper();

    @Option(names = "--compression", paramLabel = "ALGO", defaultValue = "lzo",
            description = "squashfs compression: lzo (default, what providers expect), gzip, lz4, xz, zstd (rejected by the public network).")
    String compression;

    @Option(names = "--workdir", paramLabel = "DIR", description = "WORKDIR: default directory of commands in the VM.")
    String workdir;

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "Environment variable (repeatable); replaces the image's value.")
    List<String> env = new ArrayList<>();

    @Option(names = "--volume", paramLabel = "PATH", description = "VOLUME (repeatable): a directory a provider mounts from the host; transfers go through volumes.")
    List<String> volumes = new ArrayList<>();

    @Option(names = "--entrypoint", paramLabel = "CMD", description = "ENTRYPOINT, as a JSON array or words (providers ignore it).")
    String entrypoint;

    @Option(names = "--cmd", paramLabel = "CMD", description = "CMD, as a JSON array or words (providers ignore it).")
    String cmd;

    @Option(names = "--user", paramLabel = "USER", description = "USER: uid, uid:gid or a name from the image's /etc/passwd.")
    String user;

    Compression compression() {
        try {
            return Compression.parse(compression);
        } catch (IllegalArgumentException e) {
            throw new UserError("--compression: " + e.getMessage());
        }
    }

    ConfigOverrides overrides() {
        try {
            return new ConfigOverrides(workdir, env, volumes, command("--entrypoint", entrypoint), command("--cmd", cmd), user);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** A JSON array (exec form, as in a Dockerfile) or words split at spaces. */
    private static List<String> command(String flag, String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.startsWith("[")) {
            try {
                return JSON.readValue(trimmed, new TypeReference<List<String>>() { });
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UserError(flag + " is not a JSON array of strings: " + e.getOriginalMessage());
            }
        }
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
    }
}
