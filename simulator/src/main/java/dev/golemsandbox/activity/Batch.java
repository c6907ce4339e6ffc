package dev.golemsandbox.activity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.activity.exescript.Capture;
import dev.golemsandbox.activity.exescript.ExeCommand;
import dev.golemsandbox.activity.exescript.ParsedScript;
import dev.golemsandbox.exeunit.OutputListener;
import dev.golemsandbox.http.ChangeSignal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import dev.golemsandbox.activity.transfer.TransferredFile;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The record of one exec: per-command results (what the long-poll returns, cumulative from index
 * 0) and the runtime events (what the event stream replays). {@link BatchExecution} writes it as
 * the commands run; HTTP handlers read it and wait on it. A failing command ends the batch.
 * Thread-safe.
 */
final class Batch {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String id;
    private final ParsedScript script;
    private final CommandRecord[] commands;
    private final Consumer<Batch> whenFinished;
    private final List<RuntimeEvent> events = new ArrayList<>();
    private final Map<Integer, TransferredFile> transferred = new TreeMap<>();
    private final ChangeSignal changes;
    private boolean finished;
    private Instant finishedAt;

    /**
     * @param changes      signalled on every new event; long-polls and event streams wait on it
     * @param whenFinished called once the last result is known and before anyone waiting on the
     *                     batch is told (so that a recording of it is on disk by then)
     */
    Batch(String id, ParsedScript script, ChangeSignal changes, Consumer<Batch> whenFinished) {
        this.id = id;
        this.script = script;
        this.changes = changes;
        this.whenFinished = whenFinished;
        this.commands = new CommandRecord[script.size()];
        for (int i = 0; i < commands.length; i++) {
            commands[i] = new CommandRecord(script.command(i));
        }
    }

    String id() {
        return id;
    }

    ParsedScript script() {
        return script;
    }

    synchronized boolean finished() {
        return finished;
    }

    /** Whether the batch finished before {@code cutoff} (so it may be forgotten). */
    synchronized boolean finishedBefore(Instant cutoff) {
        return finished && finishedAt.isBefore(cutoff);
    }

    /** The commands as the requestor sent them, in order. */
    ArrayNode scriptJson() {
        ArrayNode commandsJson = JSON.arrayNode();
        script.steps().forEach(step -> commandsJson.add(step.json().deepCopy()));
        return commandsJson;
    }

    /** The return code of each finished command (a run's exit code; -1 for a failure without one). */
    synchronized List<Integer> returnCodes() {
        List<Integer> codes = new ArrayList<>();
        for (CommandRecord command : commands) {
            if (command.result != null) {
                codes.add(command.returnCode);
            }
        }
        return codes;
    }

    /** Notes the file command {@code index} moved across the requestor's end (recorded activities only). */
    synchronized void transferred(int index, TransferredFile file) {
        transferred.put(index, file);
    }

    /** By command index, what each recorded transfer moved. */
    synchronized Map<Integer, TransferredFile> transferred() {
        return Map.copyOf(transferred);
    }

    void started(int index) {
        ObjectNode started = JSON.objectNode();
        started.set("command", script.steps().get(index).json());
        synchronized (this) {
            commands[index].started = true;
            addEvent(index, kind("started", started));
        }
        changes.signal();
    }

    /** Where command {@code index}'s process output goes. */
    OutputListener output(int index) {
        return new OutputListener() {
            @Override
            public void stdout(byte[] chunk) {
                write(index, true, chunk);
            }

            @Override
            public void stderr(byte[] chunk) {
                write(index, false, chunk);
            }
        };
    }

    void write(int index, boolean stdout, byte[] chunk) {
        boolean added = false;
        synchronized (this) {
            CommandRecord command = commands[index];
            (stdout ? command.stdoutTail : command.stderrTail).write(chunk);
            JsonNode streamed = (stdout ? command.stdout : command.stderr).write(chunk);
            if (streamed != null) {
                addEvent(index, kind(stdout ? "stdout" : "stderr", streamed));
                added = true;
            }
        }
        if (added) {
            changes.signal();
        }
    }

    /**
     * Records the end of command {@code index}: Ok for return code 0, else Error, which ends the
     * batch. So does the end of the last command.
     */
    void finished(int index, int returnCode, String message) {
        ObjectNode body = JSON.objectNode();
        body.put("return_code", returnCode);
        body.put("message", message);
        synchronized (this) {
            CommandRecord command = commands[index];
            command.result = returnCode == 0 ? "Ok" : "Error";
            command.returnCode = returnCode;
            command.message = message;
            command.date = Instant.now();
            boolean ends = !finished && (returnCode != 0 || index == commands.length - 1);
            if (ends) {
                finished = true;
                finishedAt = Instant.now();
            }
            addEvent(index, kind("finished", body));
            if (ends) {
                whenFinished.accept(this);
            }
        }
        changes.signal();
    }

    /**
     * The results of finished commands from index 0 (up to {@code commandIndex} if given), as the
     * long-poll answers. As on a provider, with a {@code commandIndex} only that command carries its
     * output, and it is reported as the end of the batch.
     */
    synchronized ArrayNode results(Integer commandIndex) {
        int last = commandIndex == null ? commands.length - 1 : commandIndex;
        ArrayNode results = JSON.arrayNode();
        for (int i = 0; i <= last && i < commands.length && commands[i].result != null; i++) {
            CommandRecord command = commands[i];
            boolean withOutput = commandIndex == null || commandIndex == i;
            ObjectNode result = results.addObject();
            result.put("index", i);
            result.put("eventDate", DateTimeFormatter.ISO_INSTANT.format(command.date.truncatedTo(ChronoUnit.MILLIS)));
            result.put("result", command.result);
            result.set("stdout", withOutput ? command.stdout.result() : JSON.nullNode());
            result.set("stderr", withOutput ? command.stderr.result() : JSON.nullNode());
            result.put("message", command.message);
            result.put("isBatchFinished", i == last || "Error".equals(command.result));
        }
        return results;
    }

    /**
     * What a developer watching the batch wants to see: each command as sent, whether it is
     * waiting, running or done, and the last few KiB of its output so far, whatever the capture
     * asked the provider to return.
     */
    synchronized ObjectNode inspection() {
        ObjectNode batch = JSON.objectNode();
        batch.put("batchId", id);
        batch.put("finished", finished);
        ArrayNode list = batch.putArray("commands");
        for (int i = 0; i < commands.length; i++) {
            CommandRecord command = commands[i];
            ObjectNode node = list.addObject();
            node.put("index", i);
            node.set("command", script.steps().get(i).json().deepCopy());
            node.put("state", command.result != null ? command.result : command.started ? "Running" : "Pending");
            if (command.result != null) {
                node.put("returnCode", command.returnCode);
                node.put("message", command.message);
            }
            node.set("stdout", command.stdoutTail.result());
            node.set("stderr", command.stderrTail.result());
        }
        return batch;
    }

    /**
     * Completes with true when the batch has finished or, with a {@code commandIndex}, when that
     * command has; with false once {@code timeout} passes first. Never exceptionally.
     */
    CompletableFuture<Boolean> whenDone(Integer commandIndex, Duration timeout) {
        return changes.await(() -> {
            synchronized (this) {
                boolean done = finished || (commandIndex != null && commandIndex < commands.length
                        && commands[commandIndex].result != null);
                return done ? Optional.of(true) : Optional.empty();
            }
        }, timeout, () -> false);
    }

    /**
     * Completes with true when there is an event at position {@code from} or the batch has
     * finished; with false once {@code timeout} passes first.
     */
    CompletableFuture<Boolean> whenEventOrEnd(int from, Duration timeout) {
        return changes.await(() -> {
            synchronized (this) {
                return events.size() > from || finished ? Optional.of(true) : Optional.empty();
            }
        }, timeout, () -> false);
    }

    /** Events from position {@code from} on, without waiting. */
    synchronized List<RuntimeEvent> eventsFrom(int from) {
        return from >= events.size() ? List.of() : List.copyOf(events.subList(from, events.size()));
    }

    /** Adds an event; the caller signals the change once it has left the lock. */
    private void addEvent(int index, ObjectNode kind) {
        events.add(new RuntimeEvent(events.size(), id, index, Instant.now(), kind));
    }

    private static ObjectNode kind(String name, JsonNode value) {
        ObjectNode kind = JSON.objectNode();
        kind.set(name, value);
        return kind;
    }

    /** What is known of one command of the batch. */
    private static final class CommandRecord {
        /** What inspection shows of each stream; it grows only as output comes. */
        private static final Capture INSPECTION_TAIL = Capture.tail(16 << 10, false);

        final CapturedOutput stdout;
        final CapturedOutput stderr;
        final CapturedOutput stdoutTail = new CapturedOutput(INSPECTION_TAIL);
        final CapturedOutput stderrTail = new CapturedOutput(INSPECTION_TAIL);
        boolean started;
        String result;
        int returnCode;
        String message;
        Instant date;

        CommandRecord(ExeCommand command) {
            if (command instanceof ExeCommand.Run run) {
                stdout = new CapturedOutput(run.stdout());
                stderr = new CapturedOutput(run.stderr());
            } else {
                stdout = new CapturedOutput(Capture.ALL_STREAMED);
                stderr = new CapturedOutput(Capture.ALL_STREAMED);
            }
        }
    }
}
