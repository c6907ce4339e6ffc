package dev.golemsandbox.activity;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One event of a batch's stream, as {@code GET .../exec/{batchId}} with
 * {@code Accept: text/event-stream} sends it: {@code started}, {@code stdout}, {@code stderr} or
 * {@code finished} of one command.
 *
 * @param sequence  position in the batch's stream, from 0 (the SSE {@code id})
 * @param batchId   the batch
 * @param index     the command's index in the batch
 * @param timestamp when it happened
 * @param kind      {@code {"started":{"command":{..}}}}, {@code {"stdout":"text"}}, {@code {"stderr":..}} or
 *                  {@code {"finished":{"return_code":0,"message":null}}}
 */
record RuntimeEvent(int sequence, String batchId, int index, Instant timestamp, ObjectNode kind) {

    /** Providers write event times in UTC without a zone, to the millisecond. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    /** The SSE {@code data} of this event. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("batch_id", batchId);
        json.put("index", index);
        json.put("timestamp", TIMESTAMP.format(timestamp));
        json.set("kind", kind);
        return json;
    }
}
