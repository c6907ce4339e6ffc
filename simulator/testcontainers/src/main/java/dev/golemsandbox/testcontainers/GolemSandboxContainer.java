package dev.golemsandbox.testcontainers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * golem-sandbox in a Docker container: the yagna API, simulated providers whose activities run
 * in QEMU microVMs inside the container, and the image registry, all behind one mapped port.
 * The image is built from the repository's {@code Dockerfile} and tagged
 * {@code golem-sandbox:}{@value #DEFAULT_TAG}; nothing is pulled.
 *
 * <pre>{@code
 * try (GolemSandboxContainer sandbox = new GolemSandboxContainer().withProviders(2)) {
 *     sandbox.start();
 *     GolemRequestor requestor = GolemRequestor.connect(URI.create(sandbox.getApiUrl()), sandbox.getAppKey());
 *     ...
 * }
 * }</pre>
 *
 * <p>Each container gets a random app key ({@link #getAppKey()}, known before start). VMs run
 * under KVM when this machine has {@code /dev/kvm}: the device is passed through and the sandbox
 * boots a test guest before trusting it (nested KVM often hangs, and then it falls back to TCG
 * after 10 s); {@code withAccelerator("tcg")} skips both. The Docker engine is taken to be on this
 * machine for that check.
 *
 * <p>Inside the container the sandbox keeps calling itself {@code http://127.0.0.1:7465}: the
 * registry's download links, which a requestor puts into its demand and a provider fetches, must
 * point at the sandbox as seen from inside the container, where the providers run. Requestors
 * reach the API and the registry at {@link #getApiUrl()} and {@link #getRegistryUrl()}; do not
 * set {@code GOLEM_SANDBOX_PUBLIC_URL} to the mapped port, or deploys fail. Files move in and out
 * of activities through gftp (golem-js's storage); plain {@code http://} transfer URLs must be
 * served inside the container, since the providers reach loopback hosts only.
 *
 * <p>The data directory is the image's volume: each container starts from the guest kernel and
 * default image prepared at build time, and Testcontainers removes that volume with the container.
 */
public class GolemSandboxContainer extends GenericContainer<GolemSandboxContainer> {

    /** The image name this class is made for; any tag of it (or a compatible substitute) works. */
    public static final DockerImageName DEFAULT_IMAGE_NAME = DockerImageName.parse("golem-sandbox");
    /** The tag of {@link #DEFAULT_IMAGE_NAME} that {@link #GolemSandboxContainer()} runs: this project's version. */
    public static final String DEFAULT_TAG = "0.1.0";
    /** The port the sandbox listens on inside the container (yagna's). */
    public static final int SANDBOX_PORT = 7465;

    private static final Path KVM_DEVICE = Path.of("/dev/kvm");
    private static final Set<String> ACCELERATORS = Set.of("kvm", "tcg", "auto");
    /** VMs boot under TCG here; a fresh data volume may also probe KVM first. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String appKey;
    private String accelerator = "auto";

    /** The pinned default image, {@code golem-sandbox:}{@value #DEFAULT_TAG}. */
    public GolemSandboxContainer() {
        this(DEFAULT_IMAGE_NAME.withTag(DEFAULT_TAG));
    }

    /** Another tag of the sandbox image, e.g. {@code "golem-sandbox:dev"}. */
    public GolemSandboxContainer(String image) {
        this(DockerImageName.parse(image));
    }

    /**
     * Another tag of the sandbox image, or an image declared compatible with it.
     *
     * @throws IllegalStateException when {@code image} is neither {@link #DEFAULT_IMAGE_NAME} nor
     *                               declared compatible with it ({@code asCompatibleSubstituteFor})
     */
    public GolemSandboxContainer(DockerImageName image) {
        super(image);
        image.assertCompatibleWith(DEFAULT_IMAGE_NAME);
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        appKey = HexFormat.of().formatHex(key);
        withExposedPorts(SANDBOX_PORT);
        withEnv("GOLEM_SANDBOX_HOST", "0.0.0.0");
        withEnv("GOLEM_SANDBOX_APPKEY", appKey);
        waitingFor(Wait.forHttp("/_sandbox/ready").forPort(SANDBOX_PORT).forStatusCode(200)
                .withStartupTimeout(STARTUP_TIMEOUT));
        withCreateContainerCmdModifier(cmd -> {
            HostConfig host = cmd.getHostConfig();
            // Only this machine reaches the sandbox: its port is published on loopback, not on every interface.
            host.withPublishAllPorts(false).withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"),
                    ExposedPort.tcp(SANDBOX_PORT)));
            if (!accelerator.equals("tcg") && Files.exists(KVM_DEVICE)) {
                List<Device> devices = new ArrayList<>(host.getDevices() == null ? List.of() : List.of(host.getDevices()));
                devices.add(Device.parse(KVM_DEVICE + ":" + KVM_DEVICE + ":rwm"));
                host.withDevices(devices);
                // The sandbox runs as a non-root user: it opens /dev/kvm through the device's group.
                kvmGroup().ifPresent(gid -> host.withGroupAdd(List.of(gid)));
            }
        });
    }

    private static Optional<String> kvmGroup() {
        try {
            return Optional.of(Files.getAttribute(KVM_DEVICE, "unix:gid").toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * How many providers of the default fleet to start (the sandbox's default: all 12). Legal before start.
     *
     * @throws IllegalArgumentException when {@code count} is negative
     */
    public GolemSandboxContainer withProviders(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("the number of providers cannot be negative, got " + count);
        }
        return withEnv("GOLEM_SANDBOX_PROVIDERS", Integer.toString(count));
    }

    /**
     * The accelerator for the VMs: {@code "kvm"}, {@code "tcg"} or {@code "auto"} (the default:
     * KVM when /dev/kvm is here and a test guest boots under it, else TCG). With {@code "tcg"},
     * /dev/kvm is not passed through. Legal before start.
     *
     * @throws IllegalArgumentException for any other name
     */
    public GolemSandboxContainer withAccelerator(String name) {
        String normalized = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!ACCELERATORS.contains(normalized)) {
            throw new IllegalArgumentException("accelerator must be one of kvm, tcg, auto; got '" + name + "'");
        }
        accelerator = normalized;
        return withEnv("GOLEM_SANDBOX_ACCEL", normalized);
    }

    /** {@code YAGNA_API_URL} for requestors on this machine, e.g. {@code http://localhost:32768}. Legal once started. */
    public String getApiUrl() {
        return "http://" + getHost() + ":" + getMappedPort(SANDBOX_PORT);
    }

    /** {@code GOLEM_REGISTRY_URL}: the sandbox serves its image registry at the API's address. Legal once started. */
    public String getRegistryUrl() {
        return getApiUrl();
    }

    /** {@code YAGNA_APPKEY}: random per container, known before start. */
    public String getAppKey() {
        return appKey;
    }

    /**
     * The accelerator the VMs run under and why, as the sandbox reports it, e.g.
     * {@code "tcg (GOLEM_SANDBOX_ACCEL=tcg)"}. Legal once started.
     *
     * @throws UncheckedIOException when the sandbox does not answer
     */
    public String getAccelerator() {
        URI info = URI.create(getApiUrl() + "/_sandbox/info");
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(info).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + info + " answered HTTP " + response.statusCode());
            }
            JsonNode body = JSON.readTree(response.body());
            return body.path("accelerator").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot ask the sandbox which accelerator it uses", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + info, e);
        }
    }
}
