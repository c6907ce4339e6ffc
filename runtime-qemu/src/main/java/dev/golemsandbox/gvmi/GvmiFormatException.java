package dev.golemsandbox.gvmi;

import java.nio.file.Path;

/**
 * A file is not a GVMI image a provider would accept. The message is one line that names the
 * file and the problem, fit to show a user as is.
 */
public final class GvmiFormatException extends Exception {

    private final Path file;
    private final String problem;

    public GvmiFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    /** The message without the file name, for callers that name the file their own way (an upload). */
    public String problem() {
        return problem;
    }
}
