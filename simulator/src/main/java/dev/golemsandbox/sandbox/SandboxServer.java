package dev.golemsandbox.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.activity.UsageMeter;
import dev.golemsandbox.dashboard.DashboardPage;
import dev.golemsandbox.exeunit.VmRuntime;
import dev.golemsandbox.fault.BillingFaultHooks;
import dev.golemsandbox.fault.FaultBook;
import dev.golemsandbox.fault.FaultsApi;
import dev.golemsandbox.fault.FaultyPolicy;
import dev.golemsandbox.http.ApiComponent;
import dev.golemsandbox.http.ApiErrorMapping;
import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.http.AppKeyCheck;
import dev.golemsandbox.http.Json;
import dev.golemsandbox.http.RequestGuard;
import dev.golemsandbox.http.UserError;
import dev.golemsandbox.identity.AppKeyApi;
import dev.golemsandbox.identity.AppKeys;
import dev.golemsandbox.identity.IdentityComponent;
import dev.golemsandbox.identity.RequestorIdentity;
import dev.golemsandbox.market.AgreementLookup;
import dev.golemsandbox.market.Market;
import dev.golemsandbox.market.MarketComponent;
import dev.golemsandbox.market.ProviderPolicy;
import dev.golemsandbox.market.RequestorSessions;
import dev.golemsandbox.net.NetApi;
import dev.golemsandbox.net.Networks;
import dev.golemsandbox.payment.Payment;
import dev.golemsandbox.payment.PaymentComponent;
import dev.golemsandbox.provider.BillingFaults;
import dev.golemsandbox.provider.ProviderBilling;
import dev.golemsandbox.provider.ProviderSpec;
import dev.golemsandbox.provider.Providers;
import dev.golemsandbox.provider.SimulatedProvider;
import dev.golemsandbox.provider.StandardPolicy;
import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.server.AbstractConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's HTTP server and its composition root: it builds the providers (each with its
 * policy and billing), the market, payment and identity, and serves their APIs plus the
 * components plugged in (activity, GSB, registry), behind one app-key check and one error mapping,
 * with {@code /_sandbox/health}, {@code /ready} and {@code /info}.
 *
 * <pre>{@code
 * SandboxServer.Builder builder = SandboxServer.builder(config);
 * Readiness.Condition guest = builder.readiness().condition("guest-assets");
 * try (SandboxServer server = builder
 *         .runtimes(spec -> qemuRuntime)                                 // one VmRuntime per provider
 *         .activity(agreements -> new ActivityComponent(...))             // ApiComponent & UsageMeter
 *         .component(gsb).component(registry)
 *         .info("accelerator", () -> accelerator.name())
 *         .start()) {
 *     System.out.println(server.requestorEnvironment());
 *     ...
 * }
 * }</pre>
 *
 * Legal calls: {@code start()} once per builder; accessors while running; {@link #close()} any
 * time, idempotent.
 */
public final class SandboxServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxServer.class);

    /** How long an idle connection (or a long-poll with nothing to say) may stay open. */
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(15);

    private final SandboxConfig config;
    private final String appKey;
    private final AppKeys appKeys;
    private final RequestorIdentity identity;
    private final ScheduledExecutorService timer;
    private final Providers providers;
    private final Market market;
    private final Payment payment;
    private final List<ProviderBilling> billing;
    private final List<ApiComponent> components;
    private final FaultBook faults;
    private Javalin app;
    private String baseUrl;
    private boolean closed;

    private SandboxServer(Builder b) {
        this.config = b.config;
        this.appKey = b.appKey();
        this.appKeys = b.appKeys();
        this.identity = RequestorIdentity.forAppKey(appKey);
        this.faults = b.faults;
        if (faults != null) {
            addProviderFaults(config.providers(), faults);
        }
        this.timer = Executors.newScheduledThreadPool(2, daemonThreads("golem-sandbox-timer"));
        List<ApiComponent> all = new ArrayList<>();
        List<ProviderBilling> startedBilling = new ArrayList<>();
        Providers started = null;
        Market startedMarket = null;
        Payment startedPayment = null;
        try {
            RequestorSessions sessions = new RequestorSessions();
            Function<ProviderSpec, ProviderPolicy> policies = b.faults == null ? b.policies
                    : spec -> new FaultyPolicy(b.policies.apply(spec), b.faults, spec.name());
            started = Providers.start(config.providers(), b.runtimes, policies, config.providerTimeouts());
            startedMarket = new Market(started.all(), identity.nodeId(), sessions, timer);
            UsageMeter usage = UsageMeter.NONE;
            ApiComponent activity = null;
            if (b.activity != null) {
                activity = b.activity.apply(startedMarket);
                usage = (UsageMeter) activity;
            }
            startedPayment = new Payment(identity.nodeId(), sessions, timer);
            for (SimulatedProvider provider : started.all()) {
                ProviderBilling billing = new ProviderBilling(provider, startedPayment, startedMarket, usage, timer,
                        b.faults == null ? BillingFaults.NONE : new BillingFaultHooks(b.faults));
                startedBilling.add(billing);
                startedMarket.addListener(billing);
            }
            all.add(new IdentityComponent(identity));
            all.add(new AppKeyApi(appKeys, identity.nodeId()));
            all.add(new MarketComponent(startedMarket));
            all.add(new ManifestCheckApi(startedMarket));
            all.add(new PaymentComponent(startedPayment));
            all.add(new DashboardPage());
            if (b.faults != null) {
                all.add(new FaultsApi(b.faults));
            }
            all.add(new NetApi(b.networks));
            if (activity != null) {
                all.add(activity);
            }
            all.addAll(b.components);
            b.readiness.condition("providers").ready();
        } catch (RuntimeException e) {
            all.forEach(SandboxServer::closeQuietly);
            startedBilling.forEach(ProviderBilling::close);
            if (startedPayment != null) {
                startedPayment.close();
            }
            if (startedMarket != null) {
                startedMarket.close();
            }
            if (started != null) {
                started.close();
            }
            timer.shutdownNow();
            throw e;
        }
        this.providers = started;
        this.market = startedMarket;
        this.payment = startedPayment;
        this.billing = List.copyOf(startedBilling);
        this.components = Collections.unmodifiableList(all);
        start(b);
    }

    /** The faults the providers are configured with (a providers file's {@code faults:}); a bad one fails the start. */
    private static void addProviderFaults(List<ProviderSpec> providers, FaultBook book) {
        for (ProviderSpec provider : providers) {
            for (ObjectNode fault : provider.faults()) {
                try {
                    book.add(fault);
                } catch (ApiException e) {
                    throw new UserError("provider " + provider.name() + "'s fault " + fault + ": " + e.getMessage());
                }
            }
        }
    }

    /** The faults injected into this server's providers and activities, if it takes any. */
    public Optional<FaultBook> faults() {
        return Optional.ofNullable(faults);
    }

    /** A builder for a server with {@code config}. */
    public static Builder builder(SandboxConfig config) {
        return new Builder(config);
    }

    private void start(Builder b) {
        // The sandbox's own liveness and description need no key; everything else under /_sandbox does.
        List<String> publicPrefixes = new ArrayList<>(List.of("/_sandbox/health", "/_sandbox/ready", "/_sandbox/info"));
        components.forEach(c -> publicPrefixes.addAll(c.publicPathPrefixes()));
        SandboxEndpoints endpoints = new SandboxEndpoints(this, b.readiness, components, market, b.info);
        checkPortIsFree();
        try {
            app = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.startup.showOldJavalinVersionWarning = false;
                cfg.http.defaultContentType = Json.CONTENT_TYPE;
                RequestGuard guard = new RequestGuard(config.allowedHosts(), Set.copyOf(config.corsOrigins()));
                cfg.routes.before(guard);
                cfg.routes.wsBeforeUpgrade(guard);
                cfg.routes.before(new AppKeyCheck(appKeys::nameOf, publicPrefixes));
                ApiErrorMapping.install(cfg.routes);
                endpoints.addRoutes(cfg.routes);
                components.forEach(c -> c.addRoutes(cfg));
            }).start(config.host(), config.port());
        } catch (JavalinBindException e) {
            close();
            throw portTaken(e.getMessage());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        for (var connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof AbstractConnector c) {
                c.setIdleTimeout(IDLE_TIMEOUT.toMillis());
            }
        }
        baseUrl = config.baseUrl(app.port());
        LOG.info("golem-sandbox listening on {} with {} providers", baseUrl, providers.all().size());
    }

    /** Fails with a one-line error before Jetty tries (and logs its own failure) when the port is taken. */
    private void checkPortIsFree() {
        if (config.port() == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(config.host(), config.port()));
        } catch (IOException e) {
            close();
            throw portTaken(e.getMessage());
        }
    }

    private UserError portTaken(String why) {
        String holder = PortHolder.describe(config.port()).map(h -> "it is held by " + h).orElse(why);
        return new UserError(UserError.UNAVAILABLE, "port " + config.port() + " on " + config.host() + " is busy: " + holder,
                "stop that process (is another sandbox or yagna running?) or choose another port with --port");
    }

    /** The port the server listens on (the real one when the config asked for 0). */
    public int port() {
        return app.port();
    }

    /** The URL requestors use: {@code YAGNA_API_URL} and {@code GOLEM_REGISTRY_URL}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The main app key requestors send: {@code YAGNA_APPKEY}. */
    public String appKey() {
        return appKey;
    }

    /** Every app key the server accepts, the main one and those added or created. */
    public AppKeys appKeys() {
        return appKeys;
    }

    /** The requestor's node id ({@code /me}). */
    public String requestorId() {
        return identity.nodeId();
    }

    public SandboxConfig config() {
        return config;
    }

    /** The market: the agreement lookup of the activity API, and inspection of demands and agreements. */
    public Market market() {
        return market;
    }

    /** The line to paste in a shell so a requestor script talks to this sandbox. */
    public String requestorEnvironment() {
        return "export YAGNA_API_URL=" + baseUrl + " YAGNA_APPKEY=" + appKey + " GOLEM_REGISTRY_URL=" + baseUrl;
    }

    /** Stops taking requests, then closes the components, the providers' billing, payment, the market and the providers' runtimes (stopping their VMs). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (app != null) {
            app.stop();
        }
        List<ApiComponent> reversed = new ArrayList<>(components == null ? List.of() : components);
        Collections.reverse(reversed);
        reversed.forEach(SandboxServer::closeQuietly);
        billing.forEach(ProviderBilling::close);
        payment.close();
        market.close();
        providers.close();
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(ApiComponent component) {
        try {
            component.close();
        } catch (RuntimeException e) {
            LOG.warn("closing component {} failed: {}", component.name(), e.toString());
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Collects what the server is built from; {@link #start()} builds and starts it. */
    public static final class Builder {

        private final SandboxConfig config;
        private final Readiness readiness = new Readiness();
        private final List<ApiComponent> components = new ArrayList<>();
        private final Map<String, Supplier<?>> info = new LinkedHashMap<>();
        private final Networks networks = new Networks();
        private Function<ProviderSpec, VmRuntime> runtimes;
        private Function<ProviderSpec, ProviderPolicy> policies = spec -> new StandardPolicy();
        private FaultBook faults;
        private Function<AgreementLookup, ? extends ApiComponent> activity;
        private String appKey;
        private AppKeys appKeys;

        private Builder(SandboxConfig config) {
            this.config = Objects.requireNonNull(config);
        }

        /**
         * The app key the server will require, known before it starts (the GSB WebSocket checks
         * it as {@code authToken}): the configured one, else the one kept in the data directory,
         * else a new one kept there.
         *
         * @throws UserError if the key is malformed or cannot be kept
         */
        public synchronized String appKey() {
            if (appKey == null) {
                appKey = AppKey.resolve(config.appKey(), config.home());
            }
            return appKey;
        }

        /**
         * Every app key the server will accept (the GSB WebSocket and the TCP proxy check them as
         * {@code authToken}): the main one, the config's further keys, the keys created earlier and
         * kept in the data directory.
         *
         * @throws UserError if a key is malformed or given twice, or the kept keys cannot be read
         */
        public synchronized AppKeys appKeys() {
            if (appKeys == null) {
                Path kept = config.home().root().resolve(AppKeys.FILE_NAME);
                try {
                    appKeys = AppKeys.open(appKey(), config.extraAppKeys(), kept);
                } catch (ApiException e) {
                    throw new UserError("the app keys (GOLEM_SANDBOX_APPKEY / --app-key): " + e.getMessage());
                } catch (java.io.UncheckedIOException e) {
                    throw new UserError(UserError.UNAVAILABLE, e.getMessage(), "fix or remove " + kept);
                }
            }
            return appKeys;
        }

        /** The requestor's VPNs, served by the Net API; the activity API attaches VMs to them. */
        public Networks networks() {
            return networks;
        }

        /** The readiness conditions; components report into them (also after start). */
        public Readiness readiness() {
            return readiness;
        }

        /** Makes each provider's runtime (required). Each runtime is closed when the server closes. */
        public Builder runtimes(Function<ProviderSpec, VmRuntime> factory) {
            this.runtimes = factory;
            return this;
        }

        /**
         * How each provider decides on the market; by default every one follows the
         * {@link StandardPolicy}. Give one provider another policy to make it behave differently.
         */
        /** Applies the market faults of {@code book} on top of every provider's policy and serves {@code /_sandbox/faults}. */
        public Builder faults(FaultBook book) {
            this.faults = Objects.requireNonNull(book);
            return this;
        }

        public Builder policies(Function<ProviderSpec, ProviderPolicy> factory) {
            this.policies = Objects.requireNonNull(factory);
            return this;
        }

        /**
         * The activity API, made from the market's agreement lookup. It also tells the providers'
         * billing what activities used. Without one, the server has no activity API and bills no usage.
         */
        public <T extends ApiComponent & UsageMeter> Builder activity(Function<AgreementLookup, T> factory) {
            this.activity = factory;
            return this;
        }

        /** Another component (GSB, registry, ...). */
        public Builder component(ApiComponent component) {
            components.add(component);
            return this;
        }

        /** An entry of {@code /_sandbox/info}, computed on each request (e.g. "accelerator"). */
        public Builder info(String key, Supplier<?> value) {
            info.put(key, value);
            return this;
        }

        /**
         * Builds the market, payment and identity, starts the providers and the server.
         *
         * @throws UserError if the port is taken or the data directory cannot keep the app key
         */
        public SandboxServer start() {
            if (runtimes == null) {
                throw new IllegalStateException("SandboxServer.Builder needs runtimes(...): the factory of the providers' VM runtimes");
            }
            return new SandboxServer(this);
        }
    }
}
