package dev.golemsandbox.activity;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An activity's state as {@code GET .../state} reports it: the current state and the one a
 * running command moves it to ({@code ["Initialized","Deployed"]} while deploying,
 * {@code ["Ready","Ready"]} while running), plus why it ended.
 *
 * <pre>{@code
 * boolean ready = service.state(activityId).current().equals(ActivityState.READY);
 * }</pre>
 *
 * @param current      New, Initialized, Deployed, Ready, Unresponsive or Terminated
 * @param next         the state a pending command leads to, or null
 * @param reason       why it was terminated, or null
 * @param errorMessage the error that changed the state, or null
 */
public record ActivityState(String current, String next, String reason, String errorMessage) {

    public static final String INITIALIZED = "Initialized";
    public static final String DEPLOYED = "Deployed";
    public static final String READY = "Ready";
    public static final String TERMINATED = "Terminated";

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.putArray("state").add(current).add(next);
        json.put("reason", reason);
        json.put("errorMessage", errorMessage);
        return json;
    }
}
