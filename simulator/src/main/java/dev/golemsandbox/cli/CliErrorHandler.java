package dev.golemsandbox.cli;

import dev.golemsandbox.gvmi.GvmiFormatException;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.image.ImageConversionException;
import dev.golemsandbox.image.ToolUnavailableException;
import dev.golemsandbox.store.DefaultImageUnavailableException;
import dev.golemsandbox.store.ImageStoreException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Turns an exception out of a subcommand into one line on stderr and an exit code. A stack trace
 * is printed only with {@code --debug} (or {@code GOLEM_SANDBOX_DEBUG=1}) or for an unexpected
 * failure, which is a bug.
 */
final class CliErrorHandler implements IExecutionExceptionHandler {

    /** Exit code of an unexpected failure (a bug): EX_SOFTWARE. */
    static final int INTERNAL_ERROR = 70;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        PrintWriter err = cli.getErr();
        boolean debug = parsed.asCommandLineList().stream().anyMatch(c -> c.getParseResult() != null && c.getParseResult().hasMatchedOption("--debug"))
                || "1".equals(System.getenv("GOLEM_SANDBOX_DEBUG"));
        Throwable cause = e;
        while (cause instanceof java.util.concurrent.CompletionException || cause instanceof java.util.concurrent.ExecutionException) {
            if (cause.getCause() == null) {
                break;
            }
            cause = cause.getCause();
        }
        int exitCode;
        if (cause instanceof UserError user) {
            err.println("error: " + user.getMessage());
            if (user.hint() != null) {
                err.println("hint: " + user.hint());
            }
            exitCode = user.exitCode();
        } else if (cause instanceof GvmiFormatException image) {
            err.println("error: " + image.getMessage());
            exitCode = UserError.BAD_INPUT;
        } else if (cause instanceof ImageConversionException conversion) {
            err.println("error: " + conversion.getMessage());
            exitCode = conversion instanceof ToolUnavailableException ? UserError.UNAVAILABLE : UserError.BAD_INPUT;
        } else if (cause instanceof ImageStoreException store) {
            err.println("error: " + store.getMessage());
            exitCode = store instanceof DefaultImageUnavailableException ? UserError.UNAVAILABLE : UserError.BAD_INPUT;
        } else if (cause instanceof NoSuchFileException missing) {
            err.println("error: no such file: " + missing.getFile());
            exitCode = UserError.BAD_INPUT;
        } else if (cause instanceof AccessDeniedException denied) {
            err.println("error: permission denied: " + denied.getFile());
            exitCode = UserError.BAD_INPUT;
        } else {
            err.println("error: " + cause);
            err.println("hint: this is a bug in golem-sandbox; rerun with --debug for the stack trace and report it");
            exitCode = INTERNAL_ERROR;
            if (!debug) {
                err.flush();
                return exitCode;
            }
        }
        if (debug) {
            cause.printStackTrace(err);
        }
        err.flush();
        return exitCode;
    }
}
