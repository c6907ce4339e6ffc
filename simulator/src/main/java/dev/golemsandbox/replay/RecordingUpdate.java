package dev.golemsandbox.replay;

import dev.golemsandbox.replay.RequestorScript.ScriptActivity;
import dev.golemsandbox.replay.RequestorScript.ScriptBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * A recording brought up to date with a new run, the snapshot-testing way: every recorded command
 * whose check failed takes the result this run produced; commands that passed keep what was
 * recorded (so masked or varying output does not churn the file), and uploads, commands, masks and
 * hand-written expectations stay as they are.
 *
 * <pre>{@code
 * RecordingUpdate update = RecordingUpdate.of(script, report);
 * if (update.changed()) { write update.script(); print update.changes(); }
 * }</pre>
 *
 * @param script  the updated script
 * @param changes one line per updated command: where, what, and how it changed
 */
public record RecordingUpdate(RequestorScript script, List<String> changes) {

    public RecordingUpdate {
        changes = List.copyOf(changes);
    }

    public boolean changed() {
        return !changes.isEmpty();
    }

    /** The update of {@code script} from {@code report}, a run of it that ran every batch. */
    public static RecordingUpdate of(RequestorScript script, ReplayReport report) {
        List<String> changes = new ArrayList<>();
        List<ScriptActivity> activities = new ArrayList<>();
        for (int a = 0; a < script.activities().size(); a++) {
            List<ScriptBatch> batches = new ArrayList<>();
            List<ScriptBatch> recordedBatches = script.activities().get(a).batches();
            for (int b = 0; b < recordedBatches.size(); b++) {
                ScriptBatch batch = recordedBatches.get(b);
                List<RecordedResult> observed = report.observed(a, b).orElse(null);
                if (batch.results().isEmpty() || observed == null) {
                    batches.add(batch);
                    continue;
                }
                String where = "activity " + a + ", batch " + b;
                List<RecordedResult> results = new ArrayList<>();
                int commands = Math.max(batch.results().size(), observed.size());
                for (int i = 0; i < commands; i++) {
                    ReplayReport.Check check = checkOf(report, where + ", command " + i);
                    RecordedResult recorded = i < batch.results().size() ? batch.results().get(i) : null;
                    RecordedResult now = i < observed.size() ? observed.get(i) : null;
                    if (check == null || check.passed()) {
                        if (recorded != null) {
                            results.add(recorded);
                        }
                        continue;
                    }
                    changes.add(check.where() + ": " + check.what());
                    check.differences().forEach(difference -> changes.add("    " + difference));
                    if (now != null) {
                        results.add(now);
                    }
                }
                batches.add(new ScriptBatch(batch.exeScript(), results, batch.expect()));
            }
            activities.add(new ScriptActivity(batches));
        }
        RequestorScript updated = new RequestorScript(script.description(), script.image(), script.masks(), activities);
        return new RecordingUpdate(updated, changes);
    }

    private static ReplayReport.Check checkOf(ReplayReport report, String where) {
        return report.checks().stream().filter(c -> c.where().equals(where)).findFirst().orElse(null);
    }
}
