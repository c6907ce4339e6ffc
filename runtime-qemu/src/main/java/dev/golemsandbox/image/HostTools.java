package dev.golemsandbox.image;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Host tools the converter runs ({@code mksquashfs}, {@code zstd}): finds them on the PATH and
 * builds command lines that make the tool die with the thread that started it, so a killed
 * sandbox leaves no compressor running.
 */
final class HostTools {

    private static final Optional<Path> SETPRIV = find("setpriv");

    private HostTools() {
    }

    /** The executable called {@code name} on the PATH, if any. */
    static Optional<Path> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The tool's path, or a {@link ToolUnavailableException} naming the Debian package to install.
     */
    static Path require(String name, String debianPackage, String neededFor) throws ToolUnavailableException {
        return find(name).orElseThrow(() -> new ToolUnavailableException(
                name + " is not installed, and " + neededFor + " needs it: install it with 'apt-get install " + debianPackage + "'"));
    }

    /** The command line for {@code tool args...}, wrapped so the tool gets SIGKILL when its parent thread ends. */
    static List<String> dyingWithParent(Path tool, List<String> args) {
        List<String> command = new ArrayList<>();
        SETPRIV.ifPresent(setpriv -> command.addAll(List.of(setpriv.toString(), "--pdeathsig", "KILL", "--")));
        command.add(tool.toString());
        command.addAll(args);
        return command;
    }
}
