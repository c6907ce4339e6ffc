package dev.golemsandbox.exeunit;

import java.util.List;
import java.util.Map;

/**
 * A process to start in the VM, as the ExeScript {@code run} command gives it.
 *
 * @param entryPoint absolute path of the program in the image (no PATH lookup, as on a provider)
 * @param args       arguments after argv[0]
 * @param env        variables added to (or replacing) the image's Env
 */
public record RunSpec(String entryPoint, List<String> args, Map<String, String> env) {

    public RunSpec {
        args = List.copyOf(args);
        env = Map.copyOf(env);
    }

    /** {@code /bin/sh -c line}, as the interactive prompt runs each line. */
    public static RunSpec shell(String line) {
        return new RunSpec("/bin/sh", List.of("-c", line), Map.of());
    }
}
