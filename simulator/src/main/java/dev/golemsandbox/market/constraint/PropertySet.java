package dev.golemsandbox.market.constraint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The properties of a demand or an offer in the flat form constraints refer to:
 * {@code golem.inf.mem.gib -> 1.0}. Nested JSON objects are flattened into dotted names, as yagna
 * does, so {@code {"golem":{"inf":{"mem":{"gib":1}}}}} and {@code {"golem.inf.mem.gib":1}} are the
 * same set. Values are strings, numbers, booleans or lists of them.
 */
public final class PropertySet {

    private final Map<String, Object> flat;

    private PropertySet(Map<String, Object> flat) {
        this.flat = Collections.unmodifiableMap(flat);
    }

    /** The flattened form of {@code properties}. */
    public static PropertySet of(Map<String, ?> properties) {
        Map<String, Object> flat = new TreeMap<>();
        flatten("", properties, flat);
        return new PropertySet(flat);
    }

    /** Whether the property is there (with any value, even null). */
    public boolean has(String name) {
        return flat.containsKey(name);
    }

    /** The property's value, or null. */
    public Object get(String name) {
        return flat.get(name);
    }

    /** The flat map, sorted by name. */
    public Map<String, Object> asMap() {
        return flat;
    }

    private static void flatten(String prefix, Map<String, ?> properties, Map<String, Object> into) {
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            String name = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested && !nested.isEmpty()) {
                @SuppressWarnings("unchecked")
                Map<String, ?> typed = (Map<String, ?>) nested;
                flatten(name, typed, into);
            } else if (e.getValue() instanceof List<?> list) {
                into.put(name, Collections.unmodifiableList(new ArrayList<>(list)));
            } else {
                into.put(name, e.getValue());
            }
        }
    }
}
