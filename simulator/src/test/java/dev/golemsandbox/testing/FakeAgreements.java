package dev.golemsandbox.testing;

import dev.golemsandbox.activity.ActivityAgreement;
import dev.golemsandbox.activity.AgreementSource;
import dev.golemsandbox.activity.OutboundGrant;
import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.VmRuntime;
import dev.golemsandbox.http.ApiException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The market's side for activity tests: agreements set up by the test, refusals as the market
 * answers them, a capacity of live activities per provider, and termination on demand.
 */
public final class FakeAgreements implements AgreementSource {

    private final Map<String, FakeAgreement> agreements = new ConcurrentHashMap<>();
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final List<String> stopped = new CopyOnWriteArrayList<>();
    private volatile int capacity = Integer.MAX_VALUE;

    /** Adds an agreement in {@code state} whose demand asks for {@code taskPackage} (may be null). */
    public void add(String id, String state, VmRuntime runtime, String taskPackage) {
        add(id, state, runtime, taskPackage, Resources.DEFAULT);
    }

    /** The same, for a VM of {@code resources}. */
    public void add(String id, String state, VmRuntime runtime, String taskPackage, Resources resources) {
        agreements.put(id, new FakeAgreement(id, state, runtime, Optional.ofNullable(taskPackage), resources));
    }

    /** Gives agreement {@code id} the outbound access a provider grants by accepting a manifest. */
    public void grantOutbound(String id, OutboundGrant grant) {
        agreements.get(id).outbound = Optional.of(grant);
    }

    /** How many activities may be alive at once. */
    public void capacity(int activities) {
        capacity = activities;
    }

    /** Terminates an agreement, as the requestor or the provider would. */
    public void terminate(String id) {
        FakeAgreement agreement = agreements.get(id);
        agreement.state = "Terminated";
        agreement.terminated.complete("Finished");
    }

    /** Activities started, in order. */
    public List<String> started() {
        return List.copyOf(started);
    }

    /** Activities stopped, in order. */
    public List<String> stopped() {
        return List.copyOf(stopped);
    }

    @Override
    public ActivityAgreement approved(String agreementId) {
        FakeAgreement agreement = agreements.get(agreementId);
        if (agreement == null) {
            throw new ApiException.NotFound("agreement " + agreementId + " not found");
        }
        switch (agreement.state) {
            case "Approved" -> {
                return agreement;
            }
            case "Terminated" -> throw new ApiException.Gone("agreement " + agreementId + " is Terminated");
            default -> throw new ApiException.Conflict("agreement " + agreementId + " is " + agreement.state
                    + "; activities can only be created on an Approved agreement");
        }
    }

    private final class FakeAgreement implements ActivityAgreement {
        private final String id;
        private final VmRuntime runtime;
        private final Optional<String> taskPackage;
        private final Resources resources;
        private final CompletableFuture<String> terminated = new CompletableFuture<>();
        private volatile String state;
        private volatile Optional<OutboundGrant> outbound = Optional.empty();

        FakeAgreement(String id, String state, VmRuntime runtime, Optional<String> taskPackage, Resources resources) {
            this.id = id;
            this.state = state;
            this.runtime = runtime;
            this.taskPackage = taskPackage;
            this.resources = resources;
        }

        @Override
        public String agreementId() {
            return id;
        }

        @Override
        public String providerName() {
            return "provider-" + id;
        }

        @Override
        public String providerId() {
            return dev.golemsandbox.identity.NodeId.derive(providerName());
        }

        @Override
        public VmRuntime runtime() {
            return runtime;
        }

        @Override
        public Resources resources() {
            return resources;
        }

        @Override
        public Optional<String> taskPackage() {
            return taskPackage;
        }

        @Override
        public Optional<OutboundGrant> outbound() {
            return outbound;
        }

        @Override
        public List<String> usageVector() {
            return List.of("golem.usage.cpu_sec", "golem.usage.duration_sec");
        }

        @Override
        public void activityStarted(String activityId) {
            synchronized (FakeAgreements.this) {
                if (started.size() - stopped.size() >= capacity) {
                    throw new ApiException.Conflict(providerName() + " already runs " + capacity + " activities");
                }
                started.add(activityId);
            }
        }

        @Override
        public void activityStopped(String activityId) {
            stopped.add(activityId);
        }

        @Override
        public CompletableFuture<String> whenTerminated() {
            return terminated;
        }
    }
}
