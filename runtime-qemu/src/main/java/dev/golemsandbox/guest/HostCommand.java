package dev.golemsandbox.guest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host tool (apt-get, dpkg-deb, qemu-system-x86_64 --version...) with a deadline and
 * returns its stdout; a failure names the command and ends with the tail of its stderr.
 */
public final class HostCommand {

    private HostCommand() {
    }

    public static String run(List<String> command, Path workDir, Duration timeout) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException(command.get(0) + " cannot be started (" + e.getMessage() + ")", e);
        }
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
        if (process.exitValue() != 0) {
            String err = stderr.join().strip();
            if (err.length() > 400) {
                err = "..." + err.substring(err.length() - 400);
            }
            throw new IOException(String.join(" ", command) + " failed with exit code " + process.exitValue()
                    + (err.isEmpty() ? "" : ": " + err.replace('\n', ' ')));
        }
        return stdout.join();
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
