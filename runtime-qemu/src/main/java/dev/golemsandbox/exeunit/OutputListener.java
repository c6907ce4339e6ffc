package dev.golemsandbox.exeunit;

/**
 * Receives a process's output as it arrives, in order per stream. Called from the exe-unit's I/O
 * thread: implementations must not block.
 */
public interface OutputListener {

    OutputListener NONE = new OutputListener() {
        @Override
        public void stdout(byte[] chunk) {
        }

        @Override
        public void stderr(byte[] chunk) {
        }
    };

    void stdout(byte[] chunk);

    void stderr(byte[] chunk);
}
