package dev.golemsandbox.sandbox;

import dev.golemsandbox.activity.ActivityService;
import dev.golemsandbox.exeunit.QemuVmRuntime;
import dev.golemsandbox.exeunit.RuntimeSettings;
import dev.golemsandbox.fault.ActivityFaultHooks;
import dev.golemsandbox.fault.FaultBook;
import dev.golemsandbox.gsb.GftpOverGsb;
import dev.golemsandbox.gsb.GsbApi;
import dev.golemsandbox.gsb.GsbServices;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.identity.AppKeys;
import dev.golemsandbox.image.ProgressListener;
import dev.golemsandbox.inet.OutboundGateway;
import dev.golemsandbox.net.FrameRouter;
import dev.golemsandbox.net.TcpProxyApi;
import dev.golemsandbox.provider.ProviderSpec;
import dev.golemsandbox.registry.ImageRegistryApi;
import dev.golemsandbox.registry.UpstreamRegistry;
import dev.golemsandbox.replay.RecordingWriter;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.StoredImage;
import dev.golemsandbox.vm.AcceleratorChoice;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole sandbox in this JVM: the yagna API server with its providers, the image registry, the
 * QEMU runtime every provider runs activities in, and the background preparation of what the
 * first activity needs (guest kernel and initramfs, the default image).
 *
 * <pre>{@code
 * try (Sandbox sandbox = Sandbox.start(SandboxConfig.defaults(home), System.err::println)) {
 *     sandbox.awaitReady(Duration.ofMinutes(5));
 *     System.out.println(sandbox.server().requestorEnvironment());
 * }
 * }</pre>
 *
 * The server answers at once ({@code /_sandbox/health}); {@code /_sandbox/ready} says 503 until
 * the preparation is done. {@link #close()} stops every VM and deletes the activities' volumes.
 */
public final class Sandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

    private final SandboxServer server;
    private final QemuVmRuntime runtime;
    private final FrameRouter router;
    private final OutboundGateway gateway;
    private final ImageStore images;
    private final ActivityWorkRoot workRoot;
    private final ActivityService activities;
    private final CompletableFuture<Void> ready;
    private final AtomicReference<AcceleratorChoice> accelerator;
    private final Thread preparation;
    private final boolean recordsEveryActivity;

    private Sandbox(SandboxServer server, QemuVmRuntime runtime, FrameRouter router, OutboundGateway gateway, ImageStore images,
                    ActivityWorkRoot workRoot,
                    ActivityService activities, CompletableFuture<Void> ready,
                    AtomicReference<AcceleratorChoice> accelerator, Thread preparation, boolean recordsEveryActivity) {
        this.server = server;
        this.runtime = runtime;
        this.router = router;
        this.gateway = gateway;
        this.images = images;
        this.workRoot = workRoot;
        this.activities = activities;
        this.ready = ready;
        this.accelerator = accelerator;
        this.preparation = preparation;
        this.recordsEveryActivity = recordsEveryActivity;
    }

    /**
     * Starts the server and, in the background, prepares the guest assets and the default image.
     *
     * @param progress receives one line per preparation step (kernel download, image build, ...)
     * @throws dev.golemsandbox.http.UserError if the port is taken or the data directory unusable
     */
    public static Sandbox start(SandboxConfig config, Consumer<String> progress) throws IOException {
        return start(config, false, progress);
    }

    /**
     * The same, recording every activity to {@code <data dir>/recordings} when {@code recordEveryActivity}
     * (single activities can always be recorded through {@code /_sandbox/activities/<id>/recording}).
     */
    public static Sandbox start(SandboxConfig config, boolean recordEveryActivity, Consumer<String> progress) throws IOException {
        SandboxHome home = config.home().secured();
        ImageStore images = openStore(home);
        QemuVmRuntime runtime = new QemuVmRuntime(RuntimeSettings.of(home).withProgress(progress));
        ActivityWorkRoot workRoot = ActivityWorkRoot.create(home);
        if (config.warmVms() > 0) {
            // Under the work root: shares are renamed into activities' directories, and a root left by a killed JVM is swept.
            runtime.keepWarm(config.warmVms(), workRoot.path().resolve(".warm-vms"));
        }
        GsbServices gsb = new GsbServices();
        AtomicReference<String> baseUrl = new AtomicReference<>();
        AtomicReference<ActivityService> activities = new AtomicReference<>();
        AtomicReference<AcceleratorChoice> accelerator = new AtomicReference<>();
        RecordingWriter recordings = new RecordingWriter(home.recordings(), hash -> tagOf(images, hash));
        FaultBook faults = new FaultBook(config.providers().stream().map(ProviderSpec::name).collect(Collectors.toSet()));
        SandboxServer.Builder builder = SandboxServer.builder(config).faults(faults);
        FrameRouter router = new FrameRouter(builder.networks());
        OutboundGateway gateway = new OutboundGateway();
        Readiness.Condition guestAssets = builder.readiness().condition("guest-assets");
        Readiness.Condition defaultImage = builder.readiness().condition("default-image");
        AppKeys appKeys = builder.appKeys();
        SandboxServer server;
        try {
            server = builder
                    .runtimes(spec -> runtime)
                    .activity(lookup -> {
                        ActivityService service = new ActivityService(new MarketAgreementSource(lookup),
                                new GftpOverGsb(gsb), home.deployCache(), workRoot.path(), images);
                        service.recordWith(recordings, recordEveryActivity);
                        service.injectFaults(new ActivityFaultHooks(faults));
                        service.joinNetworksWith(router);
                        service.reachOutWith(gateway);
                        activities.set(service);
                        return new ActivityComponent(service);
                    })
                    .component(new GsbApi(gsb, key -> appKeys.nameOf(key).isPresent()))
                    .component(new TcpProxyApi(builder.networks(), router, key -> appKeys.nameOf(key).isPresent()))
                    .component(new ActivityInspectionApi(activities::get, recordings, home.recordings()))
                    .component(new ImageRegistryApi(images, () -> URI.create(baseUrl.get()), config.maxPushBytes(),
                            UpstreamRegistry.of(config.upstreamRegistry(), images, config.maxPushBytes())))
                    .info("accelerator", () -> {
                        AcceleratorChoice choice = accelerator.get();
                        return choice == null ? "not probed yet" : choice.accelerator().qemuName() + " (" + choice.reason() + ")";
                    })
                    .info("defaultImage", () -> ImageStore.DEFAULT_IMAGE_TAG)
                    .info("upstreamRegistry", () -> config.upstreamRegistry() == null ? "none" : config.upstreamRegistry())
                    .info("warmVms", () -> runtime.reserveCounts().<Object>map(counts -> counts).orElse("off"))
                    .start();
        } catch (RuntimeException e) {
            runtime.close();
            router.close();
            gateway.close();
            workRoot.close();
            throw e;
        }
        baseUrl.set(server.baseUrl());
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread preparation = new Thread(() -> prepare(runtime, images, guestAssets, defaultImage, accelerator, progress, ready),
                "golem-sandbox-prepare");
        preparation.setDaemon(true);
        preparation.start();
        return new Sandbox(server, runtime, router, gateway, images, workRoot, activities.get(), ready, accelerator, preparation,
                recordEveryActivity);
    }

    private static Optional<String> tagOf(ImageStore images, String sha3) {
        try {
            return images.byHash(sha3).flatMap(image -> image.tags().stream().findFirst());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static ImageStore openStore(SandboxHome home) throws IOException {
        try {
            return ImageStore.open(home);
        } catch (dev.golemsandbox.store.ImageStoreException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Prepares the guest assets (with the accelerator probe) and the default image side by side:
     * they do not depend on each other, and on a fresh data directory each takes seconds.
     */
    private static void prepare(QemuVmRuntime runtime, ImageStore images, Readiness.Condition guestAssets,
                                Readiness.Condition defaultImage, AtomicReference<AcceleratorChoice> accelerator,
                                Consumer<String> progress, CompletableFuture<Void> ready) {
        CompletableFuture<Void> guest = new CompletableFuture<>();
        Thread imageBuild = new Thread(() -> {
            try {
                defaultImage.progress("building " + ImageStore.DEFAULT_IMAGE_TAG);
                StoredImage image = images.defaultImage(new LineProgress(progress));
                LOG.info("default image {} is {}", ImageStore.DEFAULT_IMAGE_TAG, image.sha3());
                defaultImage.ready();
                guest.thenRun(() -> ready.complete(null));
            } catch (Exception e) {
                defaultImage.failed(e.getMessage());
                ready.completeExceptionally(e);
            }
        }, "golem-sandbox-default-image");
        imageBuild.setDaemon(true);
        imageBuild.start();
        try {
            guestAssets.progress("preparing the guest kernel and initramfs");
            runtime.prepare();
            accelerator.set(runtime.accelerator());
            guestAssets.ready();
            guest.complete(null);
        } catch (IOException | RuntimeException e) {
            guestAssets.failed(e.getMessage() + " (run 'golem-sandbox doctor')");
            ready.completeExceptionally(e);
        }
    }

    /** Completes when the sandbox can serve requestors; fails with what went wrong in preparation. */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    /**
     * Waits until ready.
     *
     * @throws IOException with the preparation's error, or when {@code timeout} passes first
     */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        try {
            ready.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IOException("the sandbox could not get ready: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IOException("the sandbox was not ready after " + timeout.toSeconds() + " s");
        }
    }

    public SandboxServer server() {
        return server;
    }

    /** {@code YAGNA_API_URL} and {@code GOLEM_REGISTRY_URL}. */
    public String baseUrl() {
        return server.baseUrl();
    }

    /** {@code YAGNA_APPKEY}. */
    public String appKey() {
        return server.appKey();
    }

    public ImageStore images() {
        return images;
    }

    public QemuVmRuntime runtime() {
        return runtime;
    }

    /** The activities of this sandbox: state, volumes on the host, recordings. */
    public ActivityService activities() {
        return activities;
    }

    /** Whether every activity is recorded (started with recording on). */
    public boolean recordsEveryActivity() {
        return recordsEveryActivity;
    }

    /** The accelerator VMs run under, once probed. */
    public AcceleratorChoice accelerator() {
        return accelerator.get();
    }

    /** Stops the server, every VM, and deletes the activities' volumes. Idempotent. */
    @Override
    public void close() {
        preparation.interrupt();
        server.close();
        runtime.close();
        router.close();
        gateway.close();
        workRoot.close();
    }

    /** Image-build progress as one line per step, for the console. */
    private record LineProgress(Consumer<String> lines) implements ProgressListener {
        @Override
        public void step(String description) {
            lines.accept(description);
        }

        @Override
        public void progress(String step, long done, long total) {
        }
    }
}
