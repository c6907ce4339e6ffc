package dev.golemsandbox.testing;

import dev.golemsandbox.activity.ActivityAgreement;
import dev.golemsandbox.activity.AgreementSource;
import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.VmRuntime;
import io.javalin.http.ConflictResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The market's side for activity tests: agreements set up by the test, with a capacity per provider. */
public final class FakeAgreements implements AgreementSource {

    private final Map<String, ActivityAgreement> agreements = new ConcurrentHashMap<>();
    private final List<String> created = new CopyOnWriteArrayList<>();
    private final List<String> destroyed = new CopyOnWriteArrayList<>();
    private volatile int capacity = Integer.MAX_VALUE;

    /** Adds an agreement in {@code state} whose demand asks for {@code taskPackage} (may be null). */
    public ActivityAgreement add(String id, String state, VmRuntime runtime, String taskPackage) {
        ActivityAgreement agreement = new ActivityAgreement(id, state, "0xprovider" + id, "provider-" + id, runtime,
                Resources.DEFAULT, Optional.ofNullable(taskPackage),
                List.of("golem.usage.cpu_sec", "golem.usage.duration_sec"));
        agreements.put(id, agreement);
        return agreement;
    }

    /** How many activities may be alive at once. */
    public void capacity(int activities) {
        capacity = activities;
    }

    public List<String> created() {
        return List.copyOf(created);
    }

    public List<String> destroyed() {
        return List.copyOf(destroyed);
    }

    @Override
    public Optional<ActivityAgreement> agreement(String agreementId) {
        return Optional.ofNullable(agreements.get(agreementId));
    }

    @Override
    public synchronized void activityCreated(String agreementId, String activityId) {
        if (created.size() - destroyed.size() >= capacity) {
            throw new ConflictResponse("provider-" + agreementId + " already runs " + capacity + " activities");
        }
        created.add(activityId);
    }

    @Override
    public synchronized void activityDestroyed(String agreementId, String activityId) {
        destroyed.add(activityId);
    }
}
