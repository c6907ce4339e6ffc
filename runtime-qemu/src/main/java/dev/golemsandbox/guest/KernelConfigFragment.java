package dev.golemsandbox.guest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kconfig fragment: the options the guest kernel must have, as {@code CONFIG_X=value} and
 * {@code # CONFIG_X is not set} lines. Kconfig silently drops an option whose dependencies are
 * unmet, so a merged .config is checked against the fragment ({@link #unmetIn}) instead of trusted.
 */
public final class KernelConfigFragment {

    static final String RESOURCE = "guest-kernel.config";

    private static final Pattern SET = Pattern.compile("(CONFIG_[A-Za-z0-9_]+)=(.*)");
    private static final Pattern UNSET = Pattern.compile("# (CONFIG_[A-Za-z0-9_]+) is not set");
    private static final String NOT_SET = "n";

    private final String text;
    private final Map<String, String> options;

    private KernelConfigFragment(String text, Map<String, String> options) {
        this.text = text;
        this.options = options;
    }

    /** The fragment bundled with the sandbox. */
    public static KernelConfigFragment bundled() throws IOException {
        try (InputStream in = KernelConfigFragment.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the guest kernel's config fragment is missing from the sandbox's jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    public static KernelConfigFragment parse(String text) {
        return new KernelConfigFragment(text, optionsOf(text));
    }

    /** The options and their values; an option that must be off maps to {@code "n"}. */
    public Map<String, String> options() {
        return Map.copyOf(options);
    }

    /** The fragment's own text, to hand to Kconfig's merge script. */
    public String text() {
        return text;
    }

    /**
     * What the .config at {@code dotConfig} does not have as the fragment says, one
     * {@code "CONFIG_X=wanted (is: actual)"} per option; empty when all are met.
     */
    public List<String> unmetIn(Path dotConfig) throws IOException {
        Map<String, String> actual = optionsOf(Files.readString(dotConfig, StandardCharsets.UTF_8));
        List<String> unmet = new ArrayList<>();
        for (Map.Entry<String, String> wanted : options.entrySet()) {
            // An option Kconfig does not show at all is off: that meets "is not set".
            String is = actual.getOrDefault(wanted.getKey(), NOT_SET);
            if (!is.equals(wanted.getValue())) {
                unmet.add(wanted.getKey() + "=" + wanted.getValue() + " (is: " + is + ")");
            }
        }
        return unmet;
    }

    /** 12 hex digits of the SHA-256 of the options: a kernel cached under it was built from them. */
    public String digest() {
        StringBuilder canonical = new StringBuilder();
        options.forEach((name, value) -> canonical.append(name).append('=').append(value).append('\n'));
        return shortDigest(canonical.toString());
    }

    /** The first 12 hex digits of the SHA-256 of {@code text}: short enough for a directory name. */
    static String shortDigest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static Map<String, String> optionsOf(String text) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            Matcher set = SET.matcher(trimmed);
            Matcher unset = UNSET.matcher(trimmed);
            if (set.matches()) {
                options.put(set.group(1), set.group(2));
            } else if (unset.matches()) {
                options.put(unset.group(1), NOT_SET);
            }
        }
        return options;
    }
}
