package dev.golemsandbox.activity;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.exeunit.ExeUnitState;

/**
 * An activity's state as {@code GET .../state} reports it: the current state and the one a
 * running command moves it to ({@code ["Initialized","Deployed"]} while deploying,
 * {@code ["Ready","Ready"]} while running), plus why it ended. The states and their transitions
 * are the exe-unit's ({@link ExeUnitState}, {@link dev.golemsandbox.exeunit.ExeUnitTransition}).
 *
 * <pre>{@code
 * boolean ready = service.state(activityId).current() == ExeUnitState.READY;
 * }</pre>
 *
 * @param current      the state now
 * @param next         the state a pending command leads to, or null
 * @param reason       why it was terminated, or null
 * @param errorMessage the error that changed the state, or null
 */
public record ActivityState(ExeUnitState current, ExeUnitState next, String reason, String errorMessage) {

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.putArray("state").add(current.apiName()).add(next == null ? null : next.apiName());
        json.put("reason", reason);
        json.put("errorMessage", errorMessage);
        return json;
    }
}
