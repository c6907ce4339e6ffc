package dev.golemsandbox.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of {@code mksquashfs <source> <output> -comp <c> -noappend}, the squashfs part of a
 * GVMI file, with its progress bar turned into {@link ProgressListener} calls.
 *
 * <pre>{@code
 * new Mksquashfs(Compression.LZO).withPseudoFile(owners).run(rootfs, out, progress);
 * }</pre>
 */
final class Mksquashfs {

    static final String STEP = "compressing squashfs";
    private static final Pattern PROGRESS = Pattern.compile("\\]\\s+(\\d+)/(\\d+)\\s+\\d+%");
    private static final int KEPT_OUTPUT_LINES = 20;

    /** Mode, owner and time of the image's root directory, which pseudo definitions cannot change. */
    record RootAttributes(int mode, long uid, long gid, long mtime) {
    }

    private final Compression compression;
    private final Path pseudoFile;
    private final RootAttributes root;
    private final Long fixedTime;

    Mksquashfs(Compression compression) {
        this(compression, null, null, null);
    }

    private Mksquashfs(Compression compression, Path pseudoFile, RootAttributes root, Long fixedTime) {
        this.compression = compression;
        this.pseudoFile = pseudoFile;
        this.root = root;
        this.fixedTime = fixedTime;
    }

    /** Applies the pseudo definitions in {@code file} ({@code -pf}): owners, modes, devices. */
    Mksquashfs withPseudoFile(Path file) {
        return new Mksquashfs(compression, file, root, fixedTime);
    }

    Mksquashfs withRootAttributes(RootAttributes attributes) {
        return new Mksquashfs(compression, pseudoFile, attributes, fixedTime);
    }

    /** Stamps every file and the image itself with one time, so the same input gives the same bytes. */
    Mksquashfs withFixedTime(long epochSeconds) {
        return new Mksquashfs(compression, pseudoFile, root, epochSeconds);
    }

    /** The arguments after the tool name. */
    List<String> arguments(Path source, Path output) {
        List<String> args = new ArrayList<>(List.of(source.toString(), output.toString(),
                "-comp", compression.toolName(), "-noappend", "-quiet"));
        if (pseudoFile != null) {
            args.addAll(List.of("-pf", pseudoFile.toString()));
        }
        if (root != null) {
            args.addAll(List.of("-root-mode", Integer.toOctalString(root.mode() & 07777),
                    "-root-uid", Long.toString(root.uid()), "-root-gid", Long.toString(root.gid()),
                    "-root-time", Long.toString(clampTime(root.mtime()))));
        }
        if (fixedTime != null) {
            args.addAll(List.of("-all-time", Long.toString(fixedTime), "-mkfs-time", Long.toString(fixedTime)));
        }
        return args;
    }

    /**
     * Writes the squashfs image of {@code source} to {@code output} (replacing it).
     *
     * @throws ToolUnavailableException when mksquashfs is not installed
     * @throws ImageConversionException when mksquashfs fails, with its last words
     */
    void run(Path source, Path output, ProgressListener progress) throws ImageConversionException, IOException {
        Path tool = HostTools.require("mksquashfs", "squashfs-tools", "writing a GVMI image");
        progress.step(STEP + " (" + compression.toolName() + ")");
        Process process = new ProcessBuilder(HostTools.dyingWithParent(tool, arguments(source, output)))
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        Deque<String> lastLines = new ArrayDeque<>();
        try {
            try (InputStream out = process.getInputStream()) {
                readOutput(out, progress, lastLines);
            }
            int exit = process.waitFor();
            if (exit != 0) {
                throw new ImageConversionException("mksquashfs failed (exit " + exit + ") on " + source
                        + (lastLines.isEmpty() ? "" : ": " + lastLines.peekLast()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageConversionException("interrupted while mksquashfs was writing " + output, e);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /** mksquashfs redraws its bar with carriage returns; every other line is kept for error messages. */
    private static void readOutput(InputStream out, ProgressListener progress, Deque<String> lastLines) throws IOException {
        StringBuilder line = new StringBuilder();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = out.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
                char c = (char) (buffer[i] & 0xff);
                if (c == '\r' || c == '\n') {
                    handleLine(line.toString(), progress, lastLines);
                    line.setLength(0);
                } else if (line.length() < 4096) {
                    line.append(c);
                }
            }
        }
        handleLine(line.toString(), progress, lastLines);
    }

    private static void handleLine(String raw, ProgressListener progress, Deque<String> lastLines) {
        String line = new String(raw.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8).strip();
        if (line.isEmpty()) {
            return;
        }
        Matcher m = PROGRESS.matcher(line);
        if (m.find()) {
            progress.progress(STEP, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
            return;
        }
        lastLines.addLast(line);
        if (lastLines.size() > KEPT_OUTPUT_LINES) {
            lastLines.removeFirst();
        }
    }

    /** squashfs times are unsigned 32-bit seconds. */
    static long clampTime(long epochSeconds) {
        return Math.max(0, Math.min(epochSeconds, 0xffffffffL));
    }
}
