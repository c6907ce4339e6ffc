package dev.golemsandbox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code golem-sandbox status}: is a sandbox running from this data directory, and how is it. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the sandbox running from the data directory: URL, readiness, providers, activities. Exit 3 if none runs.")
final class StatusCommand implements Callable<Integer> {

    private static final BigDecimal HOUR = BigDecimal.valueOf(3600);

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        SandboxHome home = common.home();
        RunningSandbox running = RunningSandbox.find(home).orElseThrow(() -> RunningSandbox.notRunning(home));
        System.out.println("running at " + running.baseUrl() + " (pid " + running.pid() + ", up "
                + format(Duration.between(running.startedAt(), Instant.now())) + ")");
        JsonNode health = SandboxProbe.json(running.baseUrl(), "/_sandbox/health").orElse(null);
        if (health == null) {
            System.out.println("  not answering on " + running.baseUrl() + "/_sandbox/health");
            return UserError.UNAVAILABLE;
        }
        boolean ready = SandboxProbe.isReady(running.baseUrl());
        System.out.println("  ready:       " + (ready ? "yes" : "no"));
        for (JsonNode condition : health.path("readiness")) {
            if (!"READY".equals(condition.path("state").asText())) {
                System.out.println("    " + condition.path("name").asText() + ": " + condition.path("state").asText()
                        + (condition.hasNonNull("detail") ? " (" + condition.path("detail").asText() + ")" : ""));
            }
        }
        JsonNode info = SandboxProbe.json(running.baseUrl(), "/_sandbox/info").orElse(null);
        if (info != null) {
            System.out.println("  accelerator: " + info.path("accelerator").asText());
            JsonNode warm = info.path("warmVms");
            if (warm.isObject()) {
                System.out.println("  warm VMs:    " + warm.path("paused").asInt() + " paused, "
                        + (warm.path("waiting").asInt() - warm.path("paused").asInt()) + " booting (" + warm.path("taken").asLong()
                        + " taken, " + warm.path("missed").asLong() + " cold boots, " + warm.path("failedResumes").asLong() + " failed resumes)");
            } else if (warm.isTextual()) {
                System.out.println("  warm VMs:    " + warm.asText());
            }
            System.out.println("  providers:   " + info.path("providers").size() + " (threads, memory, storage; GLM per CPU hour,"
                    + " per hour, start; capabilities; seconds to break an idle agreement, between debit notes, to accept one,"
                    + " before a silent requestor counts as unreachable, 0: never; outbound rules)");
            for (JsonNode provider : info.path("providers")) {
                System.out.println("  provider:    " + describe(provider));
            }
        }
        JsonNode activities = SandboxProbe.json(running.baseUrl(), "/_sandbox/activities", running.appKey()).orElse(null);
        if (activities != null) {
            long live = 0;
            for (JsonNode activity : activities) {
                if (!"Terminated".equals(activity.path("state").asText())) {
                    live++;
                }
            }
            System.out.println("  activities:  " + live + " running, " + activities.size() + " in all");
        }
        System.out.println("  dashboard:   " + running.dashboardUrl());
        System.out.println(running.environment());
        return ready ? 0 : UserError.UNAVAILABLE;
    }

    /** One line for a provider of {@code /_sandbox/info}. */
    static String describe(JsonNode p) {
        JsonNode coeffs = p.path("priceCoeffs");
        List<String> capabilities = new ArrayList<>();
        p.path("capabilities").forEach(c -> capabilities.add(c.asText()));
        JsonNode t = p.path("timeouts");
        String timeouts = plain(t.path("noActivity").decimalValue()) + " / " + plain(t.path("debitNoteInterval").decimalValue())
                + " / " + plain(t.path("debitNoteAcceptTimeout").decimalValue()) + " / " + plain(t.path("requestorUnreachable").decimalValue()) + " s";
        return String.format(Locale.ROOT, "%-10s %d thread%s, %s GiB, %s GiB storage; %s / %s / %s GLM; %s; %s; outbound %s; %d of %d in use",
                p.path("name").asText(), p.path("threads").asInt(), p.path("threads").asInt() == 1 ? "" : "s",
                plain(p.path("memGib").decimalValue()), plain(p.path("storageGib").decimalValue()),
                plain(coeffs.path(0).decimalValue().multiply(HOUR)), plain(coeffs.path(1).decimalValue().multiply(HOUR)),
                plain(coeffs.path(2).decimalValue()), capabilities.isEmpty() ? "no capabilities" : String.join(", ", capabilities),
                timeouts, p.path("outbound").asText("unknown"), p.path("inUse").asInt(), p.path("capacity").asInt());
    }

    private static String plain(BigDecimal value) {
        return value.round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private static String format(Duration d) {
        long s = d.toSeconds();
        return s < 120 ? s + " s" : s < 7200 ? (s / 60) + " min" : (s / 3600) + " h";
    }
}
