package dev.golemsandbox.activity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.golemsandbox.activity.exescript.ExeScriptParser;
import dev.golemsandbox.activity.exescript.InvalidExeScriptException;
import dev.golemsandbox.activity.exescript.ParsedScript;
import dev.golemsandbox.activity.transfer.GftpClient;
import dev.golemsandbox.activity.transfer.ImageCache;
import dev.golemsandbox.activity.transfer.LoopbackHttp;
import dev.golemsandbox.activity.transfer.TransferRunner;
import dev.golemsandbox.exeunit.Volume;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.ChangeSignal;
import dev.golemsandbox.store.ImageStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The activities of all simulated providers: create on an approved agreement, exec batches on
 * the activity's VM, read state and usage, destroy. Caller mistakes are thrown as
 * {@link ApiException}s (404 unknown id, 409 wrong state) with a message for the requestor. Thread-safe; {@link #close} destroys every activity still alive.
 *
 * <pre>{@code
 * ActivityService activities = new ActivityService(agreementSource, gftpClient, home.deployCache(), workRoot);
 * String id = activities.create(agreementId);
 * String batchId = activities.exec(id, "[{\"deploy\":{}},{\"start\":{}}]");
 * }</pre>
 */
public final class ActivityService implements UsageMeter, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ActivityService.class);
    private static final SecureRandom IDS = new SecureRandom();
    /** How long a destroyed activity and a finished batch stay readable, unless set otherwise. */
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(1);

    private final AgreementSource agreements;
    private final Path workRoot;
    private final CommandRunner runner;
    private final ExeScriptParser parser = new ExeScriptParser();
    private final Map<String, ProviderActivity> activities = new ConcurrentHashMap<>();
    private final AtomicLong created = new AtomicLong();
    private final ExecutorService batchThreads = Executors.newCachedThreadPool(daemonThreads("activity-batch"));
    /** Wakes long-polls and event streams of batches when they change, and times them out. */
    private final ScheduledThreadPoolExecutor waits = new ScheduledThreadPoolExecutor(2, daemonThreads("activity-wait"));
    private final Set<String> recorded = ConcurrentHashMap.newKeySet();
    private volatile ActivityRecorder recorder;
    private volatile boolean recordEveryActivity;
    private volatile Duration retention = DEFAULT_RETENTION;
    private volatile ActivityFaults faults = ActivityFaults.NONE;

    /**
     * @param agreements  the market's agreements
     * @param gftp        file transfer to and from the requestor
     * @param deployCache where downloaded images are kept by hash ({@link SandboxHome#deployCache()})
     * @param workRoot    a directory this service owns: each activity gets a sub-directory for its
     *                    volumes and scratch files, deleted when it is destroyed
     */
    public ActivityService(AgreementSource agreements, GftpClient gftp, Path deployCache, Path workRoot) {
        this(agreements, gftp, deployCache, workRoot, null);
    }

    /**
     * The same, keeping images that requestors serve over gftp ({@code imageUrl: "file://..."}) in
     * {@code images}, where {@code image ls} shows them and the next activity finds them.
     */
    public ActivityService(AgreementSource agreements, GftpClient gftp, Path deployCache, Path workRoot, ImageStore images) {
        waits.setRemoveOnCancelPolicy(true);
        waits.scheduleWithFixedDelay(this::forgetOld, 10, 10, TimeUnit.SECONDS);
        this.agreements = agreements;
        this.workRoot = workRoot;
        LoopbackHttp http = new LoopbackHttp();
        this.runner = new CommandRunner(new ImageCache(deployCache, http, gftp, images), new TransferRunner(gftp, http));
    }

    /**
     * Creates an activity on an approved agreement; it starts Initialized, with no VM until deploy.
     * The agreement source's and {@link ActivityAgreement#activityStarted}'s refusals (404, 409, 410)
     * reach the requestor as they are.
     *
     * @return the new activity's id
     */
    public String create(String agreementId) {
        ActivityAgreement agreement = agreements.approved(agreementId);
        String id = newId();
        agreement.activityStarted(id);
        Path workDir = workRoot.resolve(id);
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            agreement.activityStopped(id);
            throw new UncheckedIOException("cannot create the activity directory " + workDir, e);
        }
        activities.put(id, new ProviderActivity(id, created.incrementAndGet(), agreement, workDir));
        if (recordEveryActivity) {
            recorded.add(id);
        }
        agreement.whenTerminated().thenRunAsync(() -> agreementTerminated(agreementId), batchThreads);
        LOG.info("Activity {} created on agreement {} with provider {}", id, agreementId, agreement.providerName());
        return id;
    }

    /**
     * Stops the activity's batches and VM and deletes its files. Legal in any state; destroying a
     * destroyed activity changes nothing. Its state, usage and agreement stay readable.
     */
    public void destroy(String activityId) {
        ProviderActivity activity = activity(activityId);
        destroy(activity, "destroyed by the requestor");
    }

    /**
     * Destroys the agreement's live activities, as a provider does when the agreement ends; their
     * state reads Terminated with the reason "the agreement was terminated". Legal at any time;
     * called by itself when {@link ActivityAgreement#whenTerminated} completes.
     */
    public void agreementTerminated(String agreementId) {
        for (String activityId : activityIds(agreementId)) {
            destroy(activities.get(activityId), "the agreement was terminated");
        }
    }

    public ActivityState state(String activityId) {
        return activity(activityId).state();
    }

    /** The id of the agreement the activity was created on. */
    public String agreementId(String activityId) {
        return activity(activityId).agreement().agreementId();
    }

    /** The usage vector the activity's offer names, e.g. {@code ["golem.usage.cpu_sec","golem.usage.duration_sec"]}. */
    public List<String> usageVector(String activityId) {
        return activity(activityId).agreement().usageVector();
    }

    /**
     * Starts a batch and returns its id at once; the commands run in the background on the
     * activity's VM. Legal until the activity is destroyed.
     *
     * @throws io.javalin.http.ApiException.BadRequest for a script that does not parse, with the reason
     */
    public String exec(String activityId, String exeScript) {
        ProviderActivity activity = activity(activityId);
        ParsedScript script;
        try {
            script = parser.parse(exeScript);
        } catch (InvalidExeScriptException e) {
            throw new ApiException.BadRequest(e.getMessage());
        }
        Batch batch = new Batch(newId(), script, new ChangeSignal(waits), finished -> recordIfAsked(activity, finished));
        BatchExecution execution = new BatchExecution(activity, batch, runner, faults);
        try {
            activity.addBatch(batch, execution);
        } catch (IllegalStateException destroyed) {
            throw new ApiException.Conflict("activity " + activityId + " is Terminated: create a new activity");
        }
        batchThreads.execute(execution);
        return batch.id();
    }

    /** Failures to inject from now on, as requestor tests ask for them. */
    public void injectFaults(ActivityFaults injected) {
        faults = Objects.requireNonNull(injected);
    }

    /** Whether a result stream of the activity opened now is to be cut after its first event. */
    boolean dropsStream(String activityId) {
        return faults.dropsStream(activity(activityId).agreement().providerName(), activityId);
    }

    /** A batch of the activity, for its results and events. */
    Batch batch(String activityId, String batchId) {
        return activity(activityId).batch(batchId)
                .orElseThrow(() -> new ApiException.NotFound("batch " + batchId + " of activity " + activityId + " not found"));
    }

    /**
     * How long destroyed activities (their state, usage, batches) and finished batches of live
     * activities stay readable; after that they are forgotten (404), so a long-running sandbox
     * does not grow without bound. Legal at any time.
     */
    public void retainFor(Duration time) {
        this.retention = time;
    }

    /** Forgets what {@link #retainFor} no longer keeps. Runs every few seconds; callable from tests. */
    void forgetOld() {
        Instant cutoff = Instant.now().minus(retention);
        for (ProviderActivity activity : activities.values()) {
            if (activity.destroyedBefore(cutoff)) {
                activities.remove(activity.id());
                recorded.remove(activity.id());
            } else {
                activity.forgetBatchesFinishedBefore(cutoff);
            }
        }
    }

    /** How deploy's {@code net} puts VMs into VPNs (by default it is refused). Legal before activities exist. */
    public void joinNetworksWith(VpnJoiner joiner) {
        runner.joinNetworksWith(joiner);
    }

    /** How deploy gives a VM the outbound access its agreement was granted (by default it is refused). Legal before activities exist. */
    public void reachOutWith(OutboundAccess access) {
        runner.reachOutWith(access);
    }

    /**
     * Sends the batches of recorded activities to {@code recorder}: every activity from now on when
     * {@code everyActivity}, else those named by {@link #record}. Legal once, before activities exist.
     */
    public void recordWith(ActivityRecorder recorder, boolean everyActivity) {
        this.recorder = recorder;
        this.recordEveryActivity = everyActivity;
        runner.keepUploads(id -> recorded.contains(id) ? Optional.of(recorder.uploads()) : Optional.empty());
    }

    /**
     * Records the activity from its first batch on: the batches it already ran go to the recorder
     * now, the later ones as they finish. Legal once a recorder is set; recording twice changes nothing.
     *
     * @throws ApiException.Conflict when the sandbox was started without a place for recordings
     */
    public void record(String activityId) {
        ProviderActivity activity = activity(activityId);
        if (recorder == null) {
            throw new ApiException.Conflict("this sandbox keeps no recordings");
        }
        if (recorded.add(activityId)) {
            for (Batch batch : activity.batches()) {
                if (batch.finished()) {
                    recordIfAsked(activity, batch);
                }
            }
        }
    }

    /** Every activity of this service, oldest first, destroyed ones included. */
    public List<String> allActivityIds() {
        return activities.values().stream().sorted(Comparator.comparingLong(ProviderActivity::sequence)).map(ProviderActivity::id).toList();
    }

    /** The volumes of the activity's deployed image and the host directories behind them; empty before deploy. */
    public List<Volume> volumes(String activityId) {
        return activity(activityId).volumes();
    }

    /** The image the activity's agreement names (the demand's task package), or null when it names none. */
    public String taskPackage(String activityId) {
        return activity(activityId).agreement().taskPackage().orElse(null);
    }

    /** Every batch of the activity not forgotten yet, oldest first, with each command's state and recent output. */
    public ArrayNode batchInspection(String activityId) {
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        activity(activityId).batches().forEach(batch -> all.add(batch.inspection()));
        return all;
    }

    /** Whether the activity's batches go to the recorder. */
    public boolean isRecorded(String activityId) {
        return recorded.contains(activityId);
    }

    private void recordIfAsked(ProviderActivity activity, Batch batch) {
        ActivityRecorder target = recorder;
        if (target == null || !recorded.contains(activity.id())) {
            return;
        }
        try {
            target.batchFinished(activity.id(), activity.agreement().taskPackage(), activity.positionOf(batch),
                    batch.scriptJson(), batch.results(null), batch.returnCodes(), batch.transferred());
        } catch (RuntimeException e) {
            LOG.warn("Recording batch {} of activity {} failed: {}", batch.id(), activity.id(), e.toString());
        }
    }

    /** The ids of every activity created on the agreement, oldest first (destroyed ones included). */
    public List<String> activityIds(String agreementId) {
        List<ProviderActivity> matching = new ArrayList<>();
        for (ProviderActivity activity : activities.values()) {
            if (activity.agreement().agreementId().equals(agreementId)) {
                matching.add(activity);
            }
        }
        matching.sort(Comparator.comparingLong(ProviderActivity::sequence));
        return matching.stream().map(ProviderActivity::id).toList();
    }

    @Override
    public Optional<ActivityUsage> usage(String activityId) {
        return Optional.ofNullable(activities.get(activityId)).map(ProviderActivity::usage);
    }

    /** Destroys every activity still alive and stops the batch threads. */
    @Override
    public void close() {
        for (ProviderActivity activity : activities.values()) {
            destroy(activity, "the sandbox shut down");
        }
        batchThreads.shutdownNow();
        waits.shutdownNow();
    }

    /** Where event streams write after their first events (off the threads that change batches). */
    Executor streamWriter() {
        return waits;
    }

    private static void destroy(ProviderActivity activity, String why) {
        if (activity.destroy(why)) {
            activity.agreement().activityStopped(activity.id());
        }
    }

    private ProviderActivity activity(String activityId) {
        ProviderActivity activity = activities.get(activityId);
        if (activity == null) {
            throw new ApiException.NotFound("activity " + activityId + " not found");
        }
        return activity;
    }

    private static String newId() {
        byte[] bytes = new byte[16];
        IDS.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
