package dev.golemsandbox.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code unsquashfs -lln} says a squashfs (or GVMI) file holds, by absolute path ("/" is the
 * root): an independent reading of the images the converter writes. Also reads single files with
 * {@code unsquashfs -cat}.
 *
 * <pre>{@code
 * Map<String, SquashfsListing.Entry> files = SquashfsListing.of(gvmi);
 * files.get("/bin/sh").linkTarget();   // "/bin/busybox"
 * }</pre>
 */
public final class SquashfsListing {

    private static final Pattern LINE = Pattern.compile(
            "^(\\S+) (\\d+)/(\\d+)\\s+(.+?)\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d squashfs-root(.*)$");

    /**
     * One path of the image.
     *
     * @param permissions as ls shows them, e.g. "-rwsr-xr-x", "lrwxrwxrwx", "crw-rw-rw-"
     * @param size bytes, or "major, minor" for devices
     * @param linkTarget symlink target, or null
     */
    public record Entry(String permissions, long uid, long gid, String size, String linkTarget) {

        public char type() {
            return permissions.charAt(0);
        }

        public String owner() {
            return uid + ":" + gid;
        }
    }

    private SquashfsListing() {
    }

    public static Map<String, Entry> of(Path image) throws IOException, InterruptedException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (String line : run(List.of("unsquashfs", "-lln", image.toString())).lines().toList()) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String path = m.group(5);
            String target = null;
            if (m.group(1).startsWith("l")) {
                int arrow = path.indexOf(" -> ");
                target = path.substring(arrow + 4);
                path = path.substring(0, arrow);
            }
            entries.put(path.isEmpty() ? "/" : path, new Entry(m.group(1), Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3)), m.group(4).trim(), target));
        }
        if (entries.isEmpty()) {
            throw new IOException("unsquashfs listed nothing in " + image);
        }
        return entries;
    }

    /** The content of one file of the image. */
    public static String cat(Path image, String path) throws IOException, InterruptedException {
        return run(List.of("unsquashfs", "-cat", image.toString(), path.replaceFirst("^/", "")));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
