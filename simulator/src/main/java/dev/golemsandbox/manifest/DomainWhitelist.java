package dev.golemsandbox.manifest;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A provider's domain whitelist ({@code domain_whitelist.json} of ya-provider): patterns that a
 * host of a manifest's URL is matched against, each either the host itself ({@code strict}) or a
 * regular expression the whole host must match ({@code regex}; anchored, so {@code github\.com}
 * does not let {@code github.com.evil.example} through). Hosts compare case-insensitively.
 *
 * <pre>{@code
 * DomainWhitelist list = new DomainWhitelist(List.of(DomainWhitelist.strict("github.com"), DomainWhitelist.regex(".*\\.dev\\.golem\\.network")));
 * list.matches("api.dev.golem.network");   // true
 * }</pre>
 */
public record DomainWhitelist(List<Entry> patterns) {

    /** The empty list: a whitelist rule then passes nothing. */
    public static final DomainWhitelist EMPTY = new DomainWhitelist(List.of());

    public DomainWhitelist {
        patterns = List.copyOf(patterns);
    }

    /**
     * One pattern.
     *
     * @param domain the host, or the regular expression
     * @param regex  whether {@code domain} is a regular expression ({@code match: regex})
     */
    public record Entry(String domain, boolean regex) {

        public Entry {
            if (domain == null || domain.isBlank()) {
                throw new IllegalArgumentException("a whitelist pattern needs a domain");
            }
            if (regex) {
                try {
                    Pattern.compile(domain);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("the whitelist pattern '" + domain + "' is not a regular expression: " + e.getDescription());
                }
            }
        }

        boolean matches(String host) {
            return regex ? Pattern.compile(domain, Pattern.CASE_INSENSITIVE).matcher(host).matches()
                    : domain.toLowerCase(Locale.ROOT).equals(host);
        }

        /** {@code match: strict} or {@code match: regex}, as the providers file and ya-provider write it. */
        public String match() {
            return regex ? "regex" : "strict";
        }
    }

    public static Entry strict(String domain) {
        return new Entry(domain, false);
    }

    public static Entry regex(String pattern) {
        return new Entry(pattern, true);
    }

    /** Whether {@code host} matches one of the patterns. */
    public boolean matches(String host) {
        String h = stripBrackets(host.toLowerCase(Locale.ROOT));
        return patterns.stream().anyMatch(p -> p.matches(h));
    }

    /** An IPv6 host is written {@code [::1]} in a URL and {@code ::1} in a whitelist. */
    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
