package dev.golemsandbox.cli;

import dev.golemsandbox.image.ProgressListener;
import java.io.PrintWriter;

/**
 * Progress of long image steps on stderr: one line per step, then percentages (redrawn in place
 * on a terminal, every 10% otherwise, so logs stay short).
 */
final class ConsoleProgress implements ProgressListener {

    private final PrintWriter err;
    private final boolean terminal;
    private String openStep;
    private int lastPercent = -1;

    ConsoleProgress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** Progress for the CLI's stderr; redraws in place when stderr is a terminal. */
    static ConsoleProgress on(PrintWriter err) {
        return new ConsoleProgress(err, System.console() != null);
    }

    @Override
    public void step(String description) {
        endLine();
        err.println(description + " ...");
        err.flush();
    }

    @Override
    public void progress(String step, long done, long total) {
        if (total <= 0) {
            return;
        }
        int percent = (int) Math.min(100, done * 100 / total);
        if (!step.equals(openStep)) {
            endLine();
            openStep = step;
            lastPercent = -1;
        }
        if (terminal && percent != lastPercent) {
            err.print("\r  " + percent + "%");
            err.flush();
            lastPercent = percent;
        } else if (!terminal && percent / 10 > lastPercent / 10) {
            err.println("  " + step + ": " + percent + "%");
            err.flush();
            lastPercent = percent;
        }
    }

    /** Closes an in-place progress line before other output. */
    void endLine() {
        if (terminal && openStep != null) {
            err.println();
            err.flush();
        }
        openStep = null;
    }
}
