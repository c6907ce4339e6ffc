package dev.golemsandbox.fault;

import dev.golemsandbox.activity.ActivityFaults;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** The activity faults of the book, where the activities ask for them. */
public final class ActivityFaultHooks implements ActivityFaults {

    private final FaultBook faults;

    public ActivityFaultHooks(FaultBook faults) {
        this.faults = faults;
    }

    @Override
    public Duration delayBefore(String provider, String activityId, int index, String command) {
        return faults.fire(FaultKind.SLOW_EXEC, provider, activityId)
                .map(f -> Duration.ofMillis(f.number("latencyMs").orElse(0))).orElse(Duration.ZERO);
    }

    @Override
    public boolean crashesAt(String provider, String activityId, int index, String command) {
        for (Fault fault : faults.armed(FaultKind.CRASH_VM, provider, activityId)) {
            String at = fault.text("atCommand", null);
            if (at != null && (at.equals(command) || at.equals(Integer.toString(index))) && fault.fire()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Optional<Duration> crashAfterStart(String provider, String activityId) {
        for (Fault fault : faults.armed(FaultKind.CRASH_VM, provider, activityId)) {
            if (fault.text("atCommand", null) == null && fault.number("afterSeconds").isPresent() && fault.fire()) {
                return Optional.of(Duration.ofSeconds(fault.number("afterSeconds").getAsLong()));
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean dropsStream(String provider, String activityId) {
        return faults.fire(FaultKind.DROP_STREAM, provider, activityId).isPresent();
    }

    @Override
    public OptionalLong transferBreaksAfter(String provider, String activityId) {
        return faults.fire(FaultKind.FAIL_TRANSFER, provider, activityId)
                .map(f -> f.number("afterBytes")).orElse(OptionalLong.empty());
    }

    @Override
    public boolean diskFull(String provider, String activityId) {
        return faults.fire(FaultKind.DISK_FULL, provider, activityId).isPresent();
    }
}
