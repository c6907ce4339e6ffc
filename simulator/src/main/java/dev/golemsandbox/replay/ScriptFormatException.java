package dev.golemsandbox.replay;

import java.nio.file.Path;

/** A script or recording that does not follow the format; the message names file and JSON path. */
public final class ScriptFormatException extends Exception {

    public ScriptFormatException(Path file, String jsonPath, String problem) {
        super(file + (jsonPath.isEmpty() ? "" : " at " + jsonPath) + ": " + problem);
    }
}
