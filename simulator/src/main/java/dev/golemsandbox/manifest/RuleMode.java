package dev.golemsandbox.manifest;

import java.util.Arrays;
import java.util.Locale;

/** How an outbound rule treats a manifest, as ya-provider's {@code all | none | whitelist}. */
public enum RuleMode {
    /** Any outbound request passes. */
    ALL,
    /** Nothing passes: the rule is off. */
    NONE,
    /** Only URLs whose host is on the provider's whitelist; unrestricted access never passes. */
    WHITELIST;

    /** {@code all}, {@code none} or {@code whitelist}. */
    public static RuleMode parse(String text) {
        return Arrays.stream(values()).filter(m -> m.label().equals(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("a rule's mode is all, none or whitelist, got '" + text + "'"));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
