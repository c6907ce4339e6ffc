package dev.golemsandbox.image;

import java.util.ArrayList;
import java.util.List;

/**
 * The path of a layer entry inside the image root, as a list of names: no leading slash, no
 * {@code .} or empty names, never {@code ..}, and no control characters. Absolute names, names
 * with {@code ..}, names with a byte below 0x20 or 0x7f (at which mksquashfs pseudo definitions
 * split fields) and names that are not UTF-8 (which would be renamed) are refused here, before
 * anything touches the disk or reaches mksquashfs.
 */
record EntryPath(List<String> names) {

    /** What the tar reader puts in place of bytes that are not UTF-8. */
    private static final char NOT_UTF8 = '\uFFFD';

    EntryPath {
        names = List.copyOf(names);
    }

    /**
     * Parses a tar entry name such as {@code ./usr/bin/env} or {@code etc/}.
     *
     * @throws ImageConversionException for an absolute path, a {@code ..} name or a control character
     */
    static EntryPath ofEntryName(String name, String layer) throws ImageConversionException {
        refuseUnrepresentable(name, "entry '" + printable(name) + "'", layer);
        if (name.startsWith("/")) {
            throw new ImageConversionException(layer + ": refused entry '" + name
                    + "': an absolute path would land outside the image root");
        }
        EntryPath path = parse(name);
        if (path == null) {
            throw new ImageConversionException(layer + ": refused entry '" + name
                    + "': '..' would climb out of the image root");
        }
        return path;
    }

    /**
     * Parses the target of a hard link, which tar writes relative to the root; a leading slash
     * means the image root, as Docker reads it.
     *
     * @throws ImageConversionException for a {@code ..} name or a control character
     */
    static EntryPath ofHardLinkTarget(String target, String entryName, String layer) throws ImageConversionException {
        refuseUnrepresentable(target, "hard link '" + entryName + "' -> '" + printable(target) + "'", layer);
        EntryPath path = parse(target);
        if (path == null) {
            throw new ImageConversionException(layer + ": refused hard link '" + entryName + "' -> '" + target
                    + "': its target climbs out of the image root with '..'");
        }
        return path;
    }

    /** Whether {@code c} is a byte below 0x20 or DEL: what no image path may hold. */
    static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f;
    }

    /** {@code name} with every control character written as {@code \xNN}, fit for a one-line message. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            out.append(isControl(c) ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    /** Control characters, and names the tar reader could only decode by replacing bytes that are not UTF-8. */
    private static void refuseUnrepresentable(String name, String what, String layer) throws ImageConversionException {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == NOT_UTF8) {
                throw new ImageConversionException(layer + ": refused " + what + ": its name is not valid UTF-8 (shown with "
                        + NOT_UTF8 + "), and an image keeps names exactly");
            }
            if (isControl(c)) {
                throw new ImageConversionException(String.format("%s: refused %s: its name holds the control character \\x%02x,"
                        + " which no image path may hold", layer, what, (int) c));
            }
        }
    }

    /** The names of a slash-separated path, or null when one of them is "..". */
    private static EntryPath parse(String name) {
        List<String> names = new ArrayList<>();
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                return null;
            }
            names.add(part);
        }
        return new EntryPath(names);
    }

    boolean isRoot() {
        return names.isEmpty();
    }

    /** The last name; the root has none. */
    String fileName() {
        return names.get(names.size() - 1);
    }

    EntryPath parent() {
        return new EntryPath(names.subList(0, names.size() - 1));
    }

    EntryPath resolve(String name) {
        List<String> more = new ArrayList<>(names);
        more.add(name);
        return new EntryPath(more);
    }

    /** "usr/bin/env"; "" for the root. */
    String key() {
        return String.join("/", names);
    }
}
