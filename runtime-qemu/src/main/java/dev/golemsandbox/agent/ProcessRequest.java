package dev.golemsandbox.agent;

import java.util.List;

/**
 * A process to start in the guest, as RUN_PROCESS carries it.
 *
 * @param bin  absolute path in the image root (started by execve: no PATH lookup)
 * @param argv argument vector, argv[0] included
 * @param env  "K=V" entries, the whole environment
 * @param cwd  working directory in the image root
 * @param user Docker-style {@code user[:group]} (names resolved in the image), or null for root
 */
public record ProcessRequest(String bin, List<String> argv, List<String> env, String cwd, String user) {

    public ProcessRequest {
        argv = List.copyOf(argv);
        env = List.copyOf(env);
    }
}
