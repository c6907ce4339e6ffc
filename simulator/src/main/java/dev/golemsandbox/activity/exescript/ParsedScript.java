package dev.golemsandbox.activity.exescript;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A parsed batch: its commands in order, each with the JSON it came from (echoed back in the
 * {@code started} runtime event, as a provider echoes it).
 */
public record ParsedScript(List<Step> steps) {

    public ParsedScript {
        steps = List.copyOf(steps);
    }

    /** One command of the batch and its JSON, e.g. {@code {"run":{"entry_point":"/bin/sh",...}}}. */
    public record Step(ExeCommand command, ObjectNode json) {
    }

    public int size() {
        return steps.size();
    }

    public ExeCommand command(int index) {
        return steps.get(index).command();
    }
}
