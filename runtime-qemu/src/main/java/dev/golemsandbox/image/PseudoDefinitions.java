package dev.golemsandbox.image;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code mksquashfs -pf} file that gives staged paths their image owners and modes
 * ({@code path m mode uid gid}) and creates device nodes and FIFOs
 * ({@code path c mode uid gid major minor}, {@code path i mode uid gid f}), so that an image
 * keeps its owners when converted by a user who is not root.
 */
final class PseudoDefinitions {

    private PseudoDefinitions() {
    }

    /**
     * Writes one definition per entry (keys relative to the root, "" excluded).
     *
     * @return how many entries were left out because a newline in the name cannot be written
     */
    static int write(Path file, Map<String, StagedEntry> entries) throws IOException {
        int skipped = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, StagedEntry> e : entries.entrySet()) {
                if (e.getKey().isEmpty()) {
                    continue;
                }
                if (e.getKey().indexOf('\n') >= 0) {
                    skipped++;
                    continue;
                }
                out.write(definition(e.getKey(), e.getValue()));
                out.write('\n');
            }
        }
        return skipped;
    }

    /**
     * One line. Only the forms without a time are used: in squashfs-tools 4.5 a timed modify
     * ({@code M}) of a directory makes it ignore every definition below that directory.
     */
    static String definition(String path, StagedEntry entry) {
        StringBuilder line = new StringBuilder(escape(path)).append(' ');
        String common = Integer.toOctalString(entry.mode()) + " " + entry.uid() + " " + entry.gid();
        switch (entry.kind()) {
            case CHAR_DEVICE -> line.append("c ").append(common).append(' ').append(entry.devMajor()).append(' ').append(entry.devMinor());
            case BLOCK_DEVICE -> line.append("b ").append(common).append(' ').append(entry.devMajor()).append(' ').append(entry.devMinor());
            case FIFO -> line.append("i ").append(common).append(" f");
            default -> line.append("m ").append(common);
        }
        return line.toString();
    }

    /** mksquashfs reads a backslash as "the next character is part of the name". */
    static String escape(String path) {
        StringBuilder out = new StringBuilder(path.length() + 8);
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == ' ' || c == '\t' || c == '"' || c == '\\' || c == '#' || c == '\'') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
