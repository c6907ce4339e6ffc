package dev.golemsandbox.image;

/**
 * Receives progress of long steps (layer extraction, squashfs compression, Docker builds), so a
 * CLI can draw it and a server can log it. Calls come from the converting thread.
 */
public interface ProgressListener {

    /** Ignores everything. */
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void step(String description) {
        }

        @Override
        public void progress(String step, long done, long total) {
        }
    };

    /** A new step starts, e.g. "extracting layer 2/5". */
    void step(String description);

    /** {@code done} of {@code total} units of {@code step} are finished; {@code total} may be 0 when unknown. */
    void progress(String step, long done, long total);
}
