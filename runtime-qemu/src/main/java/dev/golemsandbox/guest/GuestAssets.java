package dev.golemsandbox.guest;

import dev.golemsandbox.home.AtomicFile;
import dev.golemsandbox.home.SandboxHome;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The kernel and initramfs a guest boots, built once and cached under {@code <data dir>/guest/}.
 * The kernel is the sandbox's own ({@link SandboxKernel}, compiled from Debian's kernel source,
 * cached as {@code sandbox-kernel_<source package>_<version>_<recipe digest>/}); where it cannot
 * be built (no compiler, a failed build) or {@value #GUEST_KERNEL_ENV}{@code =debian} asks for it,
 * Debian's generic kernel package with the modules the guest needs
 * ({@code <kernel package>_<version>/}). Each directory holds the vmlinux (packed, see
 * {@link VmlinuxPacker}), its modules, and one initramfs per agent version. A file lock makes
 * concurrent first runs wait for one build; a build happens in a temp directory that is renamed
 * into place only when complete.
 *
 * <pre>{@code
 * GuestAssets assets = GuestAssets.prepare(home, System.getenv(), line -> System.err.println(line));
 * assets.kernel(); assets.initramfs();
 * }</pre>
 *
 * Users who bring their own set {@value #KERNEL_ENV} (an uncompressed, PVH-capable vmlinux) with
 * {@value #INITRAMFS_ENV} (a complete initramfs) or {@value #MODULES_ENV} (the kernel's module
 * tree, from which the initramfs is built); {@value #INITRAMFS_ENV} alone pairs with Debian's kernel.
 *
 * @param kernel    the vmlinux QEMU boots by PVH
 * @param initramfs the initramfs with the agent as /init
 * @param version   what they are: kernel package and version plus agent version, or "custom"
 */
public record GuestAssets(Path kernel, Path initramfs, String version) {

    /** {@code sandbox} (the default) or {@code debian}: which kernel the guest boots. */
    public static final String GUEST_KERNEL_ENV = "GOLEM_SANDBOX_GUEST_KERNEL";
    public static final String KERNEL_ENV = "GOLEM_SANDBOX_KERNEL";
    public static final String INITRAMFS_ENV = "GOLEM_SANDBOX_INITRAMFS";
    public static final String MODULES_ENV = "GOLEM_SANDBOX_MODULES";

    private static final String VMLINUX = "vmlinux";
    private static final String MODULES_DIR = "modules";
    private static final String ORDER = "order";
    /** The module names asked for when the kernel directory was built: a longer list later means a rebuild. */
    private static final String WANTED = "wanted";
    private static final String SANDBOX_KERNEL_PREFIX = "sandbox-kernel_";
    /** Left after a compile failure, so each start does not spend minutes failing the same way again. */
    private static final String FAILED_MARKER_PREFIX = ".sandbox-kernel-failed-";

    /** Returns the assets named by the environment, building and caching them on first use. */
    public static GuestAssets prepare(SandboxHome home, Map<String, String> env, Consumer<String> progress) throws IOException {
        Optional<Path> kernel = pathFrom(env, KERNEL_ENV);
        Optional<Path> initramfs = pathFrom(env, INITRAMFS_ENV);
        Optional<Path> modules = pathFrom(env, MODULES_ENV);
        if (kernel.isPresent() && initramfs.isPresent()) {
            return new GuestAssets(kernel.get(), initramfs.get(), "custom");
        }
        if (kernel.isPresent()) {
            if (modules.isEmpty()) {
                throw new IOException(KERNEL_ENV + " is set but neither " + INITRAMFS_ENV + " nor " + MODULES_ENV
                        + ": the guest needs modules built for that kernel");
            }
            return withLock(home, () -> customInitramfs(home, kernel.get(), modules.get(), progress));
        }
        if (modules.isPresent()) {
            throw new IOException(MODULES_ENV + " needs " + KERNEL_ENV + " too: modules only load into the kernel they were built for");
        }
        if (initramfs.isPresent()) {
            GuestAssets debian = withLock(home, () -> debianAssets(home, progress));
            return new GuestAssets(debian.kernel(), initramfs.get(), "custom initramfs");
        }
        return withLock(home, () -> wantsDebianKernel(env) ? debianAssets(home, progress) : sandboxOrDebianAssets(home, progress));
    }

    /**
     * What the first VM start will build, in a sentence, for {@code golem-sandbox doctor}; nothing
     * is fetched.
     */
    public static String firstStartPlan(Map<String, String> env) throws IOException {
        List<String> missing = SandboxKernel.missingTools();
        if (wantsDebianKernel(env) || !missing.isEmpty()) {
            AptPackage debian = DebianKernel.resolve();
            return "the first VM start fetches " + debian.name() + " " + debian.version()
                    + " with apt-get download (about 70 MB) and builds the initramfs"
                    + (missing.isEmpty() ? "" : "; to compile the sandbox's leaner kernel instead, apt-get install "
                    + String.join(" ", missing));
        }
        AptPackage source = SandboxKernel.source();
        return "the first VM start fetches " + source.name() + " " + source.version()
                + " with apt-get download (about 140 MB) and compiles the guest kernel (about 5 minutes on 2 cores, once)";
    }

    private static boolean wantsDebianKernel(Map<String, String> env) throws IOException {
        String choice = env.getOrDefault(GUEST_KERNEL_ENV, "sandbox").strip();
        return switch (choice) {
            case "", "sandbox" -> false;
            case "debian" -> true;
            default -> throw new IOException(GUEST_KERNEL_ENV + "=" + choice + ": expected sandbox or debian");
        };
    }

    /**
     * The assets already cached for the bundled agent, without fetching anything: the sandbox's
     * own kernel when it is built, else Debian's.
     */
    public static Optional<GuestAssets> cached(SandboxHome home) throws IOException {
        AgentBinary agent = AgentBinary.bundled();
        Optional<Path> sandboxDir = sandboxKernelDir(home, KernelConfigFragment.bundled());
        Optional<Path> kernelDir = sandboxDir.isPresent() ? sandboxDir : newestKernelDir(home);
        if (kernelDir.isEmpty()) {
            return Optional.empty();
        }
        Path initramfs = kernelDir.get().resolve(initramfsName(agent));
        if (!Files.isRegularFile(initramfs)) {
            return Optional.empty();
        }
        return Optional.of(new GuestAssets(kernelDir.get().resolve(VMLINUX), initramfs, versionOf(kernelDir.get(), agent)));
    }

    private static Optional<Path> pathFrom(Map<String, String> env, String name) throws IOException {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path path = Path.of(value).toAbsolutePath();
        if (!Files.exists(path)) {
            throw new IOException(name + "=" + value + ": no such file or directory");
        }
        return Optional.of(path);
    }

    private interface Step {
        GuestAssets run() throws IOException;
    }

    private static final Object JVM_LOCK = new Object();

    /** Holds the cache lock: one build at a time, in this JVM and across processes. */
    private static GuestAssets withLock(SandboxHome home, Step step) throws IOException {
        Path dir = SandboxHome.ensure(home.secured().guest());
        synchronized (JVM_LOCK) {
            try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                removeAbandonedBuilds(dir);
                return step.run();
            }
        }
    }

    /** Builds cut short by a crash or kill: nobody else builds while the lock is held. */
    private static void removeAbandonedBuilds(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (entry.getFileName().toString().startsWith(".build-")) {
                    deleteTree(entry);
                }
            }
        }
    }

    /**
     * The sandbox's own kernel, compiled on first use; Debian's when it cannot be, with a line
     * that says why and what it costs.
     */
    private static GuestAssets sandboxOrDebianAssets(SandboxHome home, Consumer<String> progress) throws IOException {
        KernelConfigFragment fragment = KernelConfigFragment.bundled();
        Optional<Path> cachedDir = sandboxKernelDir(home, fragment);
        if (cachedDir.isPresent()) {
            return sandboxAssets(cachedDir.get(), progress);
        }
        String fallback = "; booting Debian's generic kernel instead (an idle VM then costs about 60 MiB more host memory)";
        Path marker = home.guest().resolve(FAILED_MARKER_PREFIX + SandboxKernel.digest(fragment));
        if (Files.isRegularFile(marker)) {
            progress.accept("the sandbox's guest kernel failed to build before (" + marker + " says why; delete it to try again)"
                    + fallback);
            return debianAssets(home, progress);
        }
        List<String> missing = SandboxKernel.missingTools();
        if (!missing.isEmpty()) {
            progress.accept("compiling the sandbox's guest kernel needs: apt-get install " + String.join(" ", missing) + fallback);
            return debianAssets(home, progress);
        }
        Path work = Files.createTempDirectory(home.guest(), ".build-");
        try {
            AptPackage source = SandboxKernel.source();
            Path kernelDir = home.guest().resolve(SANDBOX_KERNEL_PREFIX + source.cacheKey() + "_" + SandboxKernel.digest(fragment));
            Path vmlinux = SandboxKernel.build(source, fragment, work, progress);
            Path staged = work.resolve("kernel");
            Files.createDirectories(staged.resolve(MODULES_DIR));
            VmlinuxPacker.pack(vmlinux, staged.resolve(VMLINUX));
            Files.writeString(staged.resolve(MODULES_DIR).resolve(ORDER), "", StandardCharsets.UTF_8);
            Files.move(staged, kernelDir, StandardCopyOption.ATOMIC_MOVE);
            return sandboxAssets(kernelDir, progress);
        } catch (SandboxKernel.CompileFailure e) {
            Files.writeString(marker, e.getMessage() + "\n", StandardCharsets.UTF_8);
            progress.accept(e.getMessage() + fallback);
            return debianAssets(home, progress);
        } catch (IOException e) {
            progress.accept("cannot build the sandbox's guest kernel (" + e.getMessage() + ")" + fallback);
            return debianAssets(home, progress);
        } finally {
            deleteTree(work);
        }
    }

    private static GuestAssets sandboxAssets(Path kernelDir, Consumer<String> progress) throws IOException {
        AgentBinary agent = AgentBinary.bundled();
        Path initramfs = kernelDir.resolve(initramfsName(agent));
        if (!Files.isRegularFile(initramfs)) {
            progress.accept("building the guest initramfs (agent " + agent.version() + ")");
            writeInitramfs(initramfs, agent, List.of());
        }
        return new GuestAssets(kernelDir.resolve(VMLINUX), initramfs, versionOf(kernelDir, agent));
    }

    /** The newest sandbox kernel built from {@code fragment}, if any. */
    private static Optional<Path> sandboxKernelDir(SandboxHome home, KernelConfigFragment fragment) throws IOException {
        if (!Files.isDirectory(home.guest())) {
            return Optional.empty();
        }
        String suffix = "_" + SandboxKernel.digest(fragment);
        try (Stream<Path> dirs = Files.list(home.guest())) {
            return dirs.filter(dir -> dir.getFileName().toString().startsWith(SANDBOX_KERNEL_PREFIX))
                    .filter(dir -> dir.getFileName().toString().endsWith(suffix))
                    .filter(dir -> Files.isRegularFile(dir.resolve(VMLINUX)))
                    .max(Comparator.comparing(dir -> dir.getFileName().toString()));
        }
    }

    private static GuestAssets debianAssets(SandboxHome home, Consumer<String> progress) throws IOException {
        AgentBinary agent = AgentBinary.bundled();
        Path kernelDir = newestKernelDir(home).orElse(null);
        if (kernelDir != null && !modulesAreCurrent(kernelDir)) {
            kernelDir = withCurrentModules(home, kernelDir, progress);
        }
        if (kernelDir == null) {
            AptPackage debian = DebianKernel.resolve();
            kernelDir = home.guest().resolve(debian.cacheKey());
            buildKernelDir(home, debian, kernelDir, progress);
        }
        packIfNeeded(kernelDir.resolve(VMLINUX), progress);
        Path initramfs = kernelDir.resolve(initramfsName(agent));
        if (!Files.isRegularFile(initramfs)) {
            progress.accept("building the guest initramfs (agent " + agent.version() + ")");
            writeInitramfs(initramfs, agent, modulesFrom(kernelDir.resolve(MODULES_DIR)));
        }
        return new GuestAssets(kernelDir.resolve(VMLINUX), initramfs, versionOf(kernelDir, agent));
    }

    private static GuestAssets customInitramfs(SandboxHome home, Path kernel, Path modules, Consumer<String> progress) throws IOException {
        AgentBinary agent = AgentBinary.bundled();
        String key = Integer.toHexString((modules.toString() + kernel).hashCode());
        Path initramfs = home.guest().resolve("custom-" + key).resolve(initramfsName(agent));
        if (!Files.isRegularFile(initramfs)) {
            progress.accept("building the guest initramfs from " + modules);
            Files.createDirectories(initramfs.getParent());
            writeInitramfs(initramfs, agent, ModuleSet.resolve(modules, ModuleSet.GUEST_MODULES));
        }
        return new GuestAssets(kernel, initramfs, "custom kernel+agent-" + agent.version());
    }

    private static void buildKernelDir(SandboxHome home, AptPackage debian, Path kernelDir, Consumer<String> progress) throws IOException {
        Path work = Files.createTempDirectory(home.guest(), ".build-");
        try {
            Path root = debian.fetch(work, progress);
            Path staged = work.resolve("kernel");
            Files.createDirectories(staged.resolve(MODULES_DIR));
            progress.accept("extracting the uncompressed vmlinux for PVH boot");
            Path extracted = work.resolve("vmlinux.extracted");
            VmlinuxExtractor.extract(DebianKernel.bzImageIn(root), extracted);
            VmlinuxPacker.pack(extracted, staged.resolve(VMLINUX));
            StringBuilder order = new StringBuilder();
            for (KernelModule module : ModuleSet.resolve(DebianKernel.modulesIn(root), ModuleSet.GUEST_MODULES)) {
                Files.write(staged.resolve(MODULES_DIR).resolve(module.name() + ".ko"), module.bytes());
                order.append(module.name()).append('\n');
            }
            Files.writeString(staged.resolve(MODULES_DIR).resolve(ORDER), order, StandardCharsets.UTF_8);
            Files.write(staged.resolve(MODULES_DIR).resolve(WANTED), ModuleSet.GUEST_MODULES, StandardCharsets.UTF_8);
            Files.move(staged, kernelDir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(work);
        }
    }

    /** Whether the cached kernel directory was built for the modules the guest needs today. */
    static boolean modulesAreCurrent(Path kernelDir) throws IOException {
        Path wanted = kernelDir.resolve(MODULES_DIR).resolve(WANTED);
        return Files.isRegularFile(wanted) && Files.readAllLines(wanted, StandardCharsets.UTF_8).equals(ModuleSet.GUEST_MODULES);
    }

    /**
     * Rebuilds a kernel directory cached before the guest needed more modules (e.g. virtio_net for
     * VPNs), so an upgraded sandbox does not boot VMs without them. Offline, the old one stays in
     * use and says what will not work.
     */
    private static Path withCurrentModules(SandboxHome home, Path stale, Consumer<String> progress) throws IOException {
        progress.accept("the cached guest kernel lacks modules this version needs (" + String.join(", ", ModuleSet.GUEST_MODULES)
                + "): fetching it again");
        Path aside = home.guest().resolve(".build-stale-" + stale.getFileName());
        try {
            AptPackage debian = DebianKernel.resolve();
            Path fresh = home.guest().resolve(debian.cacheKey());
            if (fresh.equals(stale)) {
                Files.move(stale, aside, StandardCopyOption.ATOMIC_MOVE);
            }
            buildKernelDir(home, debian, fresh, progress);
            deleteTree(aside);
            return fresh;
        } catch (IOException e) {
            if (Files.isDirectory(aside) && !Files.exists(stale)) {
                Files.move(aside, stale, StandardCopyOption.ATOMIC_MOVE);
            }
            progress.accept("cannot fetch the guest kernel again (" + e.getMessage() + "); keeping the cached one: VMs lack the"
                    + " devices of the missing modules until it can (a VPN's network card, handing freed memory back)");
            return stale;
        }
    }

    /** Caches written before kernels were packed hold the vmlinux as extracted: pack it in place, once. */
    private static void packIfNeeded(Path vmlinux, Consumer<String> progress) throws IOException {
        if (VmlinuxPacker.isPacked(vmlinux)) {
            return;
        }
        progress.accept("packing the cached vmlinux (keeping only the pages that load non-zero)");
        Path temp = AtomicFile.tempBeside(vmlinux);
        try {
            VmlinuxPacker.pack(vmlinux, temp);
            AtomicFile.commit(temp, vmlinux);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static List<KernelModule> modulesFrom(Path dir) throws IOException {
        List<KernelModule> modules = new ArrayList<>();
        for (String name : Files.readAllLines(dir.resolve(ORDER))) {
            if (!name.isBlank()) {
                modules.add(new KernelModule(name.trim(), dir.resolve(name.trim() + ".ko")));
            }
        }
        return modules;
    }

    private static void writeInitramfs(Path target, AgentBinary agent, List<KernelModule> modules) throws IOException {
        Path temp = AtomicFile.tempBeside(target);
        try {
            InitramfsBuilder.write(temp, agent, modules);
            AtomicFile.commit(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Optional<Path> newestKernelDir(SandboxHome home) throws IOException {
        if (!Files.isDirectory(home.guest())) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(home.guest())) {
            return dirs.filter(dir -> dir.getFileName().toString().startsWith("linux-image-"))
                    .filter(dir -> Files.isRegularFile(dir.resolve(VMLINUX)) && Files.isRegularFile(dir.resolve(MODULES_DIR).resolve(ORDER)))
                    .max(Comparator.comparing(dir -> dir.getFileName().toString()));
        }
    }

    private static String initramfsName(AgentBinary agent) {
        return "initramfs-agent-" + agent.version() + ".cpio";
    }

    private static String versionOf(Path kernelDir, AgentBinary agent) {
        return kernelDir.getFileName() + "+agent-" + agent.version();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
