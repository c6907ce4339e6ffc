package dev.golemsandbox.image;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code mksquashfs -pf} file that gives staged paths their image owners and modes
 * ({@code path m mode uid gid}) and creates device nodes and FIFOs
 * ({@code path c mode uid gid major minor}, {@code path i mode uid gid f}), so that an image
 * keeps its owners when converted by a user who is not root.
 *
 * <p>mksquashfs splits a definition at any whitespace byte and runs the command of an {@code f}
 * definition, so a path it could misread is never written: names are checked when a layer is read
 * ({@link EntryPath}), and again here.
 */
final class PseudoDefinitions {

    private PseudoDefinitions() {
    }

    /**
     * Writes one definition per entry (keys relative to the root, "" excluded).
     *
     * @throws ImageConversionException for a path that cannot be written unambiguously
     */
    static void write(Path file, Map<String, StagedEntry> entries) throws ImageConversionException, IOException {
        // The bytes Java gave the staged files' names, so that each definition names its file exactly.
        Charset names = fileNameCharset();
        CharsetEncoder encoder = names.newEncoder();
        try (BufferedWriter out = Files.newBufferedWriter(file, names)) {
            for (Map.Entry<String, StagedEntry> e : entries.entrySet()) {
                if (e.getKey().isEmpty()) {
                    continue;
                }
                if (!encoder.canEncode(e.getKey())) {
                    throw new ImageConversionException("refused to hand mksquashfs the path '" + EntryPath.printable(e.getKey())
                            + "': the file name encoding " + names + " cannot write it; run with a UTF-8 locale (LANG=C.UTF-8)");
                }
                out.write(definition(e.getKey(), e.getValue()));
                out.write('\n');
            }
        }
    }

    private static Charset fileNameCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /**
     * One line. Only the forms without a time are used: in squashfs-tools 4.5 a timed modify
     * ({@code M}) of a directory makes it ignore every definition below that directory.
     */
    static String definition(String path, StagedEntry entry) throws ImageConversionException {
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

    /**
     * mksquashfs reads a backslash as "the next character is part of the name".
     *
     * @throws ImageConversionException for a control character, which no escape makes safe
     *         (a line break ends the definition whatever precedes it)
     */
    static String escape(String path) throws ImageConversionException {
        StringBuilder out = new StringBuilder(path.length() + 8);
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (EntryPath.isControl(c)) {
                throw new ImageConversionException("refused to hand mksquashfs the path '" + EntryPath.printable(path)
                        + "': it holds a control character");
            }
            if (c == ' ' || c == '"' || c == '\\' || c == '#' || c == '\'') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
