package dev.golemsandbox.image;

import dev.golemsandbox.gvmi.ContainerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Container config given on the command line ({@code --workdir}, {@code --env}, {@code --volume},
 * {@code --entrypoint}, {@code --cmd}, {@code --user}): the whole config of a root filesystem
 * directory, and changes on top of an image's own config. Env entries replace the image's value
 * of the same key, volumes are added, the rest replaces.
 *
 * <pre>{@code
 * new ConfigOverrides("/golem/work", List.of("MODE=fast"), List.of("/golem/output"), null, null, "1000:1000")
 *     .applyTo(ContainerConfig.empty());
 * }</pre>
 *
 * @param workingDir absolute path or null
 * @param env "KEY=value" entries
 * @param volumes absolute paths
 * @param entrypoint null to keep the image's
 * @param cmd null to keep the image's
 * @param user "uid", "uid:gid" or a name; null to keep the image's
 */
public record ConfigOverrides(String workingDir, List<String> env, List<String> volumes,
                              List<String> entrypoint, List<String> cmd, String user) {

    /**
     * @throws IllegalArgumentException for a relative path or an env entry without '=', with a
     *         message that names the flag
     */
    public ConfigOverrides {
        env = env == null ? List.of() : List.copyOf(env);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? null : List.copyOf(cmd);
        if (workingDir != null && !workingDir.startsWith("/")) {
            throw new IllegalArgumentException("--workdir must be an absolute path, not '" + workingDir + "'");
        }
        for (String entry : env) {
            if (entry.indexOf('=') <= 0) {
                throw new IllegalArgumentException("--env takes KEY=value, not '" + entry + "'");
            }
        }
        for (String volume : volumes) {
            if (!volume.startsWith("/") || volume.equals("/")) {
                throw new IllegalArgumentException("--volume must be an absolute directory below /, not '" + volume + "'");
            }
        }
    }

    /** No change at all. */
    public static ConfigOverrides none() {
        return new ConfigOverrides(null, List.of(), List.of(), null, null, null);
    }

    public ContainerConfig applyTo(ContainerConfig base) {
        ContainerConfig config = base;
        if (!env.isEmpty()) {
            Map<String, String> merged = new LinkedHashMap<>(base.envMap());
            for (String entry : env) {
                int eq = entry.indexOf('=');
                merged.remove(entry.substring(0, eq));
                merged.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
            List<String> entries = new ArrayList<>();
            merged.forEach((k, v) -> entries.add(k + "=" + v));
            config = config.withEnv(entries);
        }
        if (!volumes.isEmpty()) {
            LinkedHashSet<String> all = new LinkedHashSet<>(base.volumes());
            volumes.forEach(v -> all.add(v.length() > 1 && v.endsWith("/") ? v.substring(0, v.length() - 1) : v));
            config = config.withVolumes(new ArrayList<>(all));
        }
        if (workingDir != null) {
            config = config.withWorkingDir(workingDir);
        }
        if (entrypoint != null) {
            config = config.withEntrypoint(entrypoint);
        }
        if (cmd != null) {
            config = config.withCmd(cmd);
        }
        if (user != null) {
            config = config.withUser(user);
        }
        return config;
    }
}
