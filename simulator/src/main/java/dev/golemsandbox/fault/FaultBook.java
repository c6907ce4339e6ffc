package dev.golemsandbox.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.Ids;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The faults asked for, from the API, the CLI, the providers file or a test: validated when
 * added, listed with how often each fired, removed by id. The hooks in the market and the
 * activities ask it whether a fault of a kind applies and fire it. Thread-safe.
 */
public final class FaultBook {

    /** The most faults kept at once: a script adding faults in a loop gets a clear refusal. */
    static final int MAX_FAULTS = 1000;
    private static final int MAX_REASON = 1000;
    /** 1 TiB: more than any transfer moves, so any cut a test asks for fits. */
    private static final long MAX_AFTER_BYTES = 1L << 40;
    private static final Set<String> COMMON = Set.of("fault", "provider", "activity", "times");

    private final Set<String> providerNames;
    private final List<Fault> faults = new CopyOnWriteArrayList<>();

    /** @param providerNames the providers a fault may name */
    public FaultBook(Set<String> providerNames) {
        this.providerNames = Set.copyOf(providerNames);
    }

    /** Adds the fault {@code spec} describes ({@code {"fault": kind, ...}}); a 400 names what is wrong with it. */
    public Fault add(JsonNode spec) {
        if (spec == null || !spec.isObject()) {
            throw bad("a fault is a JSON object such as {\"fault\": \"crash-vm\", \"atCommand\": \"run\"}");
        }
        String kindName = text(spec, "fault");
        if (kindName == null) {
            throw bad("a fault needs \"fault\": one of " + FaultKind.names());
        }
        FaultKind kind = FaultKind.byApiName(kindName)
                .orElseThrow(() -> bad("unknown fault \"" + kindName + "\"; the kinds are " + FaultKind.names()));
        for (Iterator<String> names = spec.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!COMMON.contains(name) && !kind.parameters().contains(name)) {
                throw bad("fault " + kind.apiName() + " takes no \"" + name + "\"; it takes provider, activity, times"
                        + (kind.parameters().isEmpty() ? "" : ", " + String.join(", ", kind.parameters().stream().sorted().toList())));
            }
        }
        String provider = text(spec, "provider");
        if (provider != null && !providerNames.contains(provider)) {
            throw bad("no provider named \"" + provider + "\"; the providers are " + String.join(", ", providerNames.stream().sorted().toList()));
        }
        String activity = text(spec, "activity");
        Integer times = null;
        if (spec.has("times")) {
            times = (int) wholeNumber(spec, "times", 1, 1_000_000);
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        switch (kind) {
            case REJECT_PROPOSALS -> parameters.put("reason", reason(spec, "the provider rejects every proposal (injected fault)"));
            case TERMINATE -> {
                parameters.put("afterSeconds", wholeNumber(spec, "afterSeconds", 0, 86_400, 0));
                parameters.put("reason", reason(spec, "the provider terminated the agreement (injected fault)"));
            }
            case CRASH_VM -> {
                JsonNode at = spec.get("atCommand");
                if (at != null && !(at.isTextual() && !at.asText().isBlank()) && !(at.canConvertToInt() && at.isIntegralNumber() && at.asInt() >= 0)) {
                    throw bad("crash-vm's atCommand is an ExeScript command name (e.g. \"run\") or a command index (0, 1, ...)");
                }
                if (at == null && !spec.has("afterSeconds")) {
                    throw bad("crash-vm needs atCommand (a command name or index) or afterSeconds");
                }
                if (at != null) {
                    parameters.put("atCommand", at.isTextual() ? at.asText() : at.asInt());
                }
                if (spec.has("afterSeconds")) {
                    parameters.put("afterSeconds", wholeNumber(spec, "afterSeconds", 0, 86_400));
                }
            }
            case SLOW_EXEC -> parameters.put("latencyMs", wholeNumber(spec, "latencyMs", 0, 600_000));
            case FAIL_TRANSFER -> {
                if (!spec.has("afterBytes")) {
                    throw bad("fail-transfer needs afterBytes: how many bytes move before the transfer breaks off");
                }
                parameters.put("afterBytes", wholeNumber(spec, "afterBytes", 0, MAX_AFTER_BYTES));
            }
            case NO_APPROVAL, DROP_STREAM, NO_INVOICE, DEBIT_NOTE_STORM, DISK_FULL -> {
            }
        }
        if (faults.size() >= MAX_FAULTS) {
            throw new ApiException.Conflict("the sandbox holds " + MAX_FAULTS + " faults already; remove some first");
        }
        Fault fault = new Fault(Ids.hex(8), kind, provider, activity, times, parameters);
        faults.add(fault);
        return fault;
    }

    /** Every fault with how often it fired, oldest first. */
    public ArrayNode list() {
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        faults.forEach(f -> all.add(f.json()));
        return all;
    }

    public void remove(String id) {
        if (!faults.removeIf(f -> f.id().equals(id))) {
            throw new ApiException.NotFound("no fault " + id);
        }
    }

    /** Fires the first armed fault of {@code kind} that applies here, if any. */
    Optional<Fault> fire(FaultKind kind, String provider, String activityId) {
        for (Fault fault : faults) {
            if (fault.kind() == kind && fault.appliesTo(provider, activityId) && fault.fire()) {
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }

    /** The armed faults of {@code kind} that apply here, without firing them. */
    List<Fault> armed(FaultKind kind, String provider, String activityId) {
        List<Fault> matching = new ArrayList<>();
        for (Fault fault : faults) {
            if (fault.kind() == kind && fault.appliesTo(provider, activityId) && fault.armed()) {
                matching.add(fault);
            }
        }
        return matching;
    }

    private static String text(JsonNode spec, String name) {
        JsonNode value = spec.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw bad("\"" + name + "\" is a non-empty string");
        }
        return value.asText();
    }

    private static String reason(JsonNode spec, String otherwise) {
        String reason = text(spec, "reason");
        if (reason != null && reason.length() > MAX_REASON) {
            throw bad("\"reason\" is at most " + MAX_REASON + " characters");
        }
        return reason == null ? otherwise : reason;
    }

    private static long wholeNumber(JsonNode spec, String name, long min, long max, long otherwise) {
        return spec.has(name) ? wholeNumber(spec, name, min, max) : otherwise;
    }

    private static long wholeNumber(JsonNode spec, String name, long min, long max) {
        JsonNode value = spec.get(name);
        if (value == null || !value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            throw bad("\"" + name + "\" is a whole number from " + min + " to " + max);
        }
        return value.asLong();
    }

    private static ApiException bad(String message) {
        return new ApiException.BadRequest(message);
    }
}
