package dev.golemsandbox.replay;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What a replay found: one check per command (and per file expectation), and where time went. */
public final class ReplayReport {

    /**
     * One checked item.
     *
     * @param where       "activity 1, batch 2, command 0"
     * @param what        the command in short ("run /bin/cat /golem/work/a") or the file check
     * @param differences empty when it passed; else one line each: stream, expected vs actual
     */
    public record Check(String where, String what, List<String> differences) {
        public boolean passed() {
            return differences.isEmpty();
        }
    }

    private final List<Check> checks = new ArrayList<>();
    /** What each recorded batch produced this time, by "activity/batch". */
    private final Map<String, List<RecordedResult>> observed = new TreeMap<>();
    private Duration total = Duration.ZERO;
    private Duration vmStart = Duration.ZERO;

    void add(Check check) {
        checks.add(check);
    }

    void observed(int activity, int batch, List<RecordedResult> results) {
        observed.put(activity + "/" + batch, List.copyOf(results));
    }

    /** The results batch {@code batch} of activity {@code activity} produced in this run, if it ran. */
    Optional<List<RecordedResult>> observed(int activity, int batch) {
        return Optional.ofNullable(observed.get(activity + "/" + batch));
    }

    void addVmStart(Duration d) {
        vmStart = vmStart.plus(d);
    }

    void total(Duration d) {
        total = d;
    }

    public List<Check> checks() {
        return List.copyOf(checks);
    }

    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    public long failures() {
        return checks.stream().filter(c -> !c.passed()).count();
    }

    /** Wall time of the whole replay. */
    public Duration total() {
        return total;
    }

    /** Wall time spent in deploy + start batches (booting VMs). */
    public Duration vmStart() {
        return vmStart;
    }

    /** Prints one line per check, the differences under failed ones, and a summary line. */
    public void print(PrintStream out) {
        for (Check check : checks) {
            out.printf("  %-5s %s: %s%n", check.passed() ? "ok" : "FAIL", check.where(), check.what());
            for (String difference : check.differences()) {
                out.println("          " + difference);
            }
        }
        out.printf("%s: %d of %d checks failed (%.1f s, of which VM deploy+start %.1f s)%n",
                passed() ? "passed" : "FAILED", failures(), checks.size(),
                total.toMillis() / 1000.0, vmStart.toMillis() / 1000.0);
    }
}
