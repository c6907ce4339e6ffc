package dev.golemsandbox.fault;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One injected failure: its kind, where it applies (a provider by name, an activity by id, or
 * everywhere), how many times it may fire (unlimited when not given) and the kind's parameters.
 * Counts how often it fired. Thread-safe.
 */
public final class Fault {

    private final String id;
    private final FaultKind kind;
    private final String provider;
    private final String activity;
    private final Integer times;
    private final Map<String, Object> parameters;
    private int fired;

    Fault(String id, FaultKind kind, String provider, String activity, Integer times, Map<String, Object> parameters) {
        this.id = id;
        this.kind = kind;
        this.provider = provider;
        this.activity = activity;
        this.times = times;
        this.parameters = Map.copyOf(parameters);
    }

    public String id() {
        return id;
    }

    public FaultKind kind() {
        return kind;
    }

    /** Whether the fault applies to this provider and activity (null activity: none known yet). */
    boolean appliesTo(String providerName, String activityId) {
        return (provider == null || provider.equals(providerName)) && (activity == null || activity.equals(activityId));
    }

    /** Counts one firing if the fault has any left; false once it has fired {@code times} times. */
    synchronized boolean fire() {
        if (times != null && fired >= times) {
            return false;
        }
        fired++;
        return true;
    }

    /** Whether it could still fire, without firing it. */
    synchronized boolean armed() {
        return times == null || fired < times;
    }

    String text(String name, String otherwise) {
        Object value = parameters.get(name);
        return value == null ? otherwise : value.toString();
    }

    OptionalLong number(String name) {
        return parameters.get(name) instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
    }

    synchronized ObjectNode json() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", id);
        node.put("fault", kind.apiName());
        if (provider != null) {
            node.put("provider", provider);
        }
        if (activity != null) {
            node.put("activity", activity);
        }
        if (times != null) {
            node.put("times", times);
        }
        parameters.forEach((name, value) -> node.putPOJO(name, value));
        node.put("fired", fired);
        return node;
    }
}
