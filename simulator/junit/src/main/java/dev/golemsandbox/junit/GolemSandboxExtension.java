package dev.golemsandbox.junit;

import dev.golemsandbox.client.Activity;
import dev.golemsandbox.client.GolemRequestor;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.golemsandbox.exeunit.Volume;
import dev.golemsandbox.fault.FaultBook;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.ApiException;
import dev.golemsandbox.provider.ProviderSpec;
import dev.golemsandbox.sandbox.Sandbox;
import dev.golemsandbox.sandbox.SandboxConfig;
import dev.golemsandbox.store.StoredImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link GolemSandboxTest}: starts the sandbox before the class (or
 * finds the run's shared one), waits until it is ready, and stops it, with every VM, when its
 * scope ends. Parameters of type {@link GolemSandbox} are injected.
 *
 * <p>Data directory (guest kernel, images, app key, recordings): {@code $GOLEM_SANDBOX_HOME} when
 * set; else {@code target/golem-sandbox-home} (Maven) or {@code build/golem-sandbox-home} (Gradle)
 * under the working directory, so the kernel and images are prepared once per clean build; else a
 * temp directory for this run, deleted when the JVM exits. Never the user's own
 * {@code ~/.local/share/golem-sandbox}: a plain {@code mvn verify} must not change what
 * {@code golem-sandbox up} serves.
 */
public final class GolemSandboxExtension implements BeforeAllCallback, ParameterResolver {

    /** Settings from {@link #builder()}; null for the extension {@link GolemSandboxTest} registers. */
    private final Settings built;

    /** The extension {@link GolemSandboxTest} registers: its settings come from the annotation. */
    public GolemSandboxExtension() {
        this(null);
    }

    private GolemSandboxExtension(Settings built) {
        this.built = built;
    }

    /**
     * An extension to register with {@code @RegisterExtension}, configured in code:
     *
     * <pre>{@code
     * @RegisterExtension
     * static GolemSandboxExtension sandbox = GolemSandboxExtension.builder()
     *         .providers(2)
     *         .fault("{\"fault\": \"crash-vm\", \"atCommand\": \"run\", \"times\": 1}")
     *         .build();
     * }</pre>
     */
    public static Builder builder() {
        return new Builder();
    }

    /** How a built extension's sandbox starts. */
    public static final class Builder {
        private int providers = 3;
        private Path home;
        private boolean recordEveryActivity;
        private final List<String> faults = new ArrayList<>();

        private Builder() {
        }

        /** How many providers the sandbox has (3 unless set). */
        public Builder providers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a sandbox needs at least one provider, got " + count);
            }
            this.providers = count;
            return this;
        }

        /** A data directory of its own instead of the one the class comment describes. */
        public Builder home(Path dataDirectory) {
            this.home = dataDirectory;
            return this;
        }

        /** Records every activity to {@code <data directory>/recordings}, as {@code up --record} does. */
        public Builder recordEveryActivity() {
            this.recordEveryActivity = true;
            return this;
        }

        /** A fault in force from the start, as {@code POST /_sandbox/faults} takes it. */
        public Builder fault(String faultJson) {
            faults.add(faultJson);
            return this;
        }

        public GolemSandboxExtension build() {
            return new GolemSandboxExtension(new Settings(providers, home, recordEveryActivity, List.copyOf(faults)));
        }
    }

    private record Settings(int providers, Path home, boolean recordEveryActivity, List<String> faults) {
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(GolemSandboxExtension.class);
    /** First start may fetch the guest kernel and build the default image. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);

    @Override
    public void beforeAll(ExtensionContext context) {
        sandbox(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == GolemSandbox.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) throws ParameterResolutionException {
        return sandbox(context);
    }

    private RunningTestSandbox sandbox(ExtensionContext context) {
        if (built != null) {
            return classContext(context).getStore(NAMESPACE).getOrComputeIfAbsent("built", k -> RunningTestSandbox.start(built),
                    RunningTestSandbox.class);
        }
        GolemSandboxTest settings = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), GolemSandboxTest.class)
                .orElseThrow(() -> new ExtensionConfigurationException("annotate the test class with @GolemSandboxTest"));
        ExtensionContext scope = settings.shared() ? context.getRoot() : classContext(context);
        String key = settings.shared() ? "shared-" + settings.providers() : "class";
        return scope.getStore(NAMESPACE).getOrComputeIfAbsent(key, k -> RunningTestSandbox.start(new Settings(settings.providers(), null, false, List.of())),
                RunningTestSandbox.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    private static SandboxHome runTempHome;

    private static SandboxHome dataDirectory() {
        return dataDirectory(System.getenv(), Path.of("").toAbsolutePath());
    }

    /** The data directory of the class comment, for this environment and working directory. */
    static synchronized SandboxHome dataDirectory(Map<String, String> env, Path workingDir) {
        String explicit = env.get(SandboxHome.ENV);
        if (explicit != null && !explicit.isBlank()) {
            return new SandboxHome(Path.of(explicit).toAbsolutePath());
        }
        for (String buildDir : List.of("target", "build")) {
            if (Files.isDirectory(workingDir.resolve(buildDir))) {
                return new SandboxHome(workingDir.resolve(buildDir).resolve("golem-sandbox-home"));
            }
        }
        if (runTempHome == null) {
            try {
                Path temp = Files.createTempDirectory("golem-sandbox-test-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(temp), "golem-sandbox-test-home-cleanup"));
                runTempHome = new SandboxHome(temp);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return runTempHome;
    }

    /** Deletes {@code root} and what it holds, without following links out of it. */
    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("golem-sandbox: could not delete the test data directory " + root + ": " + e.getMessage());
        }
    }

    /** A sandbox in this JVM and the handle tests get; closed by JUnit with its store. */
    static final class RunningTestSandbox implements GolemSandbox, AutoCloseable {

        private static final ObjectMapper JSON = new ObjectMapper();

        private final Sandbox sandbox;
        private final GolemRequestor requestor;

        private RunningTestSandbox(Sandbox sandbox, GolemRequestor requestor) {
            this.sandbox = sandbox;
            this.requestor = requestor;
        }

        static RunningTestSandbox start(Settings settings) {
            SandboxHome home = settings.home() != null ? new SandboxHome(settings.home().toAbsolutePath()) : dataDirectory();
            SandboxConfig config = SandboxConfig.defaults(home).withPort(0)
                    .withProviders(ProviderSpec.defaults(settings.providers()));
            Sandbox sandbox = null;
            try {
                sandbox = Sandbox.start(config, settings.recordEveryActivity(), line -> System.out.println("[golem-sandbox] " + line));
                RunningTestSandbox started = new RunningTestSandbox(sandbox,
                        GolemRequestor.connect(URI.create(sandbox.baseUrl()), sandbox.appKey()));
                for (String fault : settings.faults()) {
                    started.addFault(fault);
                }
                sandbox.awaitReady(READY_TIMEOUT);
                return started;
            } catch (IOException | RuntimeException e) {
                if (sandbox != null) {
                    sandbox.close();
                }
                throw new ExtensionConfigurationException("golem-sandbox did not start: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                sandbox.close();
                Thread.currentThread().interrupt();
                throw new ExtensionConfigurationException("interrupted while golem-sandbox started", e);
            }
        }

        @Override
        public URI apiUrl() {
            return URI.create(sandbox.baseUrl());
        }

        @Override
        public String appKey() {
            return sandbox.appKey();
        }

        @Override
        public URI registryUrl() {
            return apiUrl();
        }

        @Override
        public GolemRequestor requestor() {
            return requestor;
        }

        @Override
        public String pushImage(Path gvmi, String tag) {
            try {
                StoredImage stored = sandbox.images().put(gvmi, null);
                sandbox.images().tag(tag, stored.sha3());
                return stored.sha3();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalArgumentException("cannot add " + gvmi + " as " + tag + ": " + e.getMessage(), e);
            }
        }

        @Override
        public Path hostDirOf(Activity activity, String containerPath) {
            return sandbox.activities().volumes(activity.id()).stream()
                    .filter(v -> v.containerPath().equals(containerPath))
                    .map(Volume::hostDir)
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("activity " + activity.id() + " has no volume at "
                            + containerPath + " (is it deployed? volumes: " + sandbox.activities().volumes(activity.id()) + ")"));
        }

        @Override
        public String addFault(String faultJson) {
            try {
                return faults().add(JSON.readTree(faultJson)).id();
            } catch (IOException e) {
                throw new IllegalArgumentException("a fault is JSON, e.g. {\"fault\": \"slow-exec\", \"latencyMs\": 100}: "
                        + e.getMessage(), e);
            } catch (ApiException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        @Override
        public void removeFault(String id) {
            try {
                faults().remove(id);
            } catch (ApiException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        private FaultBook faults() {
            return sandbox.server().faults().orElseThrow(() -> new IllegalStateException("this sandbox takes no faults"));
        }

        @Override
        public void close() {
            requestor.close();
            sandbox.close();
        }
    }
}
