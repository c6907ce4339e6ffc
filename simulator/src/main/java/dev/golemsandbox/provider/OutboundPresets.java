package dev.golemsandbox.provider;

import dev.golemsandbox.manifest.DomainWhitelist;
import dev.golemsandbox.manifest.OutboundRules;
import dev.golemsandbox.manifest.RuleMode;
import java.util.List;
import java.util.Map;

/**
 * The outbound rules providers of the sandbox come with: the whitelist a ya-provider gets from
 * its installer (package registries, code hosting, Golem's own services) plus this machine's
 * loopback names, so a requestor's manifest can name a server it runs itself; and the rule sets
 * of the {@link DefaultFleet}. A provider without an {@code outbound:} key in the providers file
 * has {@link #WHITELISTED}, as an installed ya-provider does.
 */
public final class OutboundPresets {

    /** Modelled on ya-installer-resources' whitelist, with {@code localhost}, {@code 127.0.0.1} and {@code ::1} added for offline use. */
    public static final DomainWhitelist STANDARD_WHITELIST = new DomainWhitelist(List.of(
            DomainWhitelist.strict("localhost"),
            DomainWhitelist.strict("127.0.0.1"),
            DomainWhitelist.strict("::1"),
            DomainWhitelist.strict("github.com"),
            DomainWhitelist.strict("raw.githubusercontent.com"),
            DomainWhitelist.strict("objects.githubusercontent.com"),
            DomainWhitelist.strict("pypi.org"),
            DomainWhitelist.strict("files.pythonhosted.org"),
            DomainWhitelist.strict("crates.io"),
            DomainWhitelist.strict("static.crates.io"),
            DomainWhitelist.strict("registry.npmjs.org"),
            DomainWhitelist.strict("registry-1.docker.io"),
            DomainWhitelist.strict("huggingface.co"),
            DomainWhitelist.strict("ipfs.io"),
            DomainWhitelist.strict("registry.golem.network"),
            DomainWhitelist.regex(".*\\.dev\\.golem\\.network"),
            DomainWhitelist.strict("polygon-rpc.com"),
            DomainWhitelist.strict("rpc.ankr.com")));

    /** Everyone, but only to whitelisted hosts: ya-provider's default, with the standard whitelist. */
    public static final OutboundRules WHITELISTED = new OutboundRules(true, RuleMode.WHITELIST, Map.of(), Map.of(), STANDARD_WHITELIST);
    /** Everyone, to any host, unrestricted access included. */
    public static final OutboundRules OPEN = new OutboundRules(true, RuleMode.ALL, Map.of(), Map.of(), STANDARD_WHITELIST);
    /** Nobody by the everyone rule: only signed manifests or partners the provider names (none by default). */
    public static final OutboundRules TRUSTED_ONLY = new OutboundRules(true, RuleMode.NONE, Map.of(), Map.of(), STANDARD_WHITELIST);
    /** Outbound access turned off. */
    public static final OutboundRules DISABLED = OutboundRules.DISABLED;

    private OutboundPresets() {
    }
}
