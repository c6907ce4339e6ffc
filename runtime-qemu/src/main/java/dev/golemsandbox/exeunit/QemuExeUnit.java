package dev.golemsandbox.exeunit;

import dev.golemsandbox.agent.AgentException;
import dev.golemsandbox.agent.AgentListener;
import dev.golemsandbox.agent.GuestAgent;
import dev.golemsandbox.agent.ProcessExit;
import dev.golemsandbox.agent.ProcessRequest;
import dev.golemsandbox.gvmi.ContainerConfig;
import dev.golemsandbox.gvmi.GvmiFormatException;
import dev.golemsandbox.gvmi.GvmiImage;
import dev.golemsandbox.reserve.ReserveKey;
import dev.golemsandbox.reserve.ReservedVm;
import dev.golemsandbox.reserve.WarmReserve;
import dev.golemsandbox.vm.ProcessCpuTime;
import dev.golemsandbox.vm.QemuVm;
import dev.golemsandbox.vm.VmConfig;
import dev.golemsandbox.volume.VolumePath;
import dev.golemsandbox.volume.VolumeUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link ExeUnit} backed by one QEMU microVM. Volumes are sub-directories of one host
 * directory ({@code <workDir>/volumes}) shared into the VM over 9p and bind-mounted by the agent
 * at their paths; the console log is kept in {@code <workDir>/vm/console.log}.
 */
final class QemuExeUnit implements ExeUnit, AgentListener {

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(QemuExeUnit.class);

    private final QemuVmRuntime runtime;
    /** Names the VM in errors: this unit's own until it takes a reserved VM, then that VM's. */
    private volatile String name;
    private final Path imageFile;
    private final Resources resources;
    private final Path workDir;
    private final Map<Long, QemuRunningProcess> processes = new ConcurrentHashMap<>();
    /**
     * Notifications that arrived before the RUN_PROCESS reply was handled, replayed at
     * registration. The agent only passes on notices for pids it returned, and these are
     * coalesced per pid, so a guest cannot make this grow.
     */
    private final Map<Long, EarlyNotices> early = new ConcurrentHashMap<>();

    private ExeUnitState state = ExeUnitState.INITIALIZED;
    private GvmiImage image;
    private List<Volume> volumes = List.of();
    private VolumeMapping mapping;
    private VpnInterface vpn;
    private InetInterface inet;
    private QemuVm vm;
    /** A VM taken from the runtime's reserve at deploy, until it is awake (then it is {@link #vm}) or given up. */
    private ReservedVm reserved;
    private boolean fromReserve;
    private VolumeQuota quota;
    /** CPU seconds of the VM's QEMU process at the last look; kept after the VM is gone. */
    private double cpuSeconds;
    private volatile String goneReason;

    QemuExeUnit(QemuVmRuntime runtime, String name, Path imageFile, Resources resources, Path workDir) {
        this.runtime = runtime;
        this.name = name;
        this.imageFile = imageFile;
        this.resources = resources;
        this.workDir = workDir.toAbsolutePath();
    }

    @Override
    public synchronized ExeUnitState state() {
        return state;
    }

    @Override
    public Deployment deploy() throws ExeUnitException {
        synchronized (this) {
            ExeUnitTransition.DEPLOY.check("deploy", state);
        }
        GvmiImage opened;
        try {
            opened = GvmiImage.open(imageFile);
        } catch (GvmiFormatException e) {
            throw new ExeUnitException.InvalidImage(e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new ExeUnitException.InvalidImage("image not found: " + imageFile, e);
        } catch (IOException e) {
            throw new ExeUnitException.InvalidImage("cannot read image " + imageFile + ": " + e.getMessage(), e);
        }
        // Outside the lock: a reserved VM that is still booting is waited for.
        ReservedVm warm = takeReserved();
        synchronized (this) {
            if (state != ExeUnitTransition.DEPLOY.from()) {
                if (warm != null) {
                    warm.close();
                }
                throw new ExeUnitException.VmGone("the exe-unit was stopped during deploy");
            }
            image = opened;
            reserved = warm;
            List<Volume> created = new ArrayList<>();
            Set<String> names = new HashSet<>();
            try {
                for (String containerPath : image.config().volumes()) {
                    String dirName = volumeDirName(containerPath, names);
                    Path hostDir = Files.createDirectories(shareDir().resolve(dirName));
                    // The image's user (often not root) must be able to write into its volumes.
                    Files.setPosixFilePermissions(hostDir, PosixFilePermissions.fromString("rwxrwxrwx"));
                    created.add(new Volume(containerPath, hostDir));
                }
            } catch (IOException e) {
                throw new ExeUnitException("cannot create the volume directories under " + workDir + ": " + e.getMessage(), e);
            }
            volumes = List.copyOf(created);
            mapping = new VolumeMapping(volumes);
            state = ExeUnitTransition.DEPLOY.to();
            return new Deployment(volumes);
        }
    }

    /**
     * A never-used VM of this image and shape from the runtime's reserve, if it keeps one, whose
     * (empty) share is now this unit's volume directory, so that deploy creates the volumes in it;
     * null when there is none. Anything that goes wrong only means a cold boot at start.
     */
    private ReservedVm takeReserved() {
        WarmReserve reserve = runtime.reserve();
        if (reserve == null) {
            return null;
        }
        Optional<ReservedVm> taken;
        try {
            taken = reserve.take(ReserveKey.of(imageFile, resources.cpuThreads(), resources.memoryMib(), resources.storageMib()));
        } catch (IOException e) {
            return null;
        }
        if (taken.isEmpty()) {
            return null;
        }
        try {
            taken.get().moveShareTo(shareDir(), runtime.settings().bootDeadline());
            return taken.get();
        } catch (IOException e) {
            LOG.warn("cannot use a reserved VM for {} (booting one instead): {}", name, e.getMessage());
            return null;
        }
    }

    @Override
    public synchronized void joinNetwork(VpnInterface network) throws ExeUnitException {
        if (state != ExeUnitState.DEPLOYED) {
            throw new ExeUnitException.IllegalState("a VM joins a network only when Deployed, before start, not " + state.apiName());
        }
        if (vpn != null) {
            throw new ExeUnitException.IllegalState("the VM is already in a network: the sandbox puts a VM in one VPN only");
        }
        vpn = network;
    }

    @Override
    public synchronized void connectOutbound(InetInterface outbound) throws ExeUnitException {
        if (state != ExeUnitState.DEPLOYED) {
            throw new ExeUnitException.IllegalState("a VM gets outbound access only when Deployed, before start, not " + state.apiName());
        }
        if (inet != null) {
            throw new ExeUnitException.IllegalState("the VM already has an outbound interface");
        }
        inet = outbound;
    }

    @Override
    public void start() throws ExeUnitException {
        ReservedVm warm;
        synchronized (this) {
            ExeUnitTransition.START.check("start", state);
            warm = reserved;
            reserved = null;
        }
        if (warm != null && (vpn != null || inet != null)) {
            // A reserved VM booted without network cards; a VM in a VPN or with outbound access boots with its own.
            warm.close();
            warm = null;
        }
        Runnable done = runtime.work().begin();
        QemuVm booted;
        try {
            booted = warm != null ? awaken(warm) : null;
            if (booted == null) {
                booted = coldBoot();
            }
        } finally {
            done.run();
        }
        VmConfig config = booted.config();
        synchronized (this) {
            vm = booted;
            if (state != ExeUnitState.DEPLOYED) {
                booted.kill();
                throw new ExeUnitException.VmGone("the exe-unit was stopped while its VM booted");
            }
        }
        try {
            for (Volume volume : volumes) {
                booted.agent().mount(VmConfig.SHARE_TAG, volume.containerPath(), volume.hostDir().getFileName().toString())
                        .get(GuestAgent.DEFAULT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            throw failedSetup("mount the volumes", e, config);
        }
        if (vpn != null) {
            try {
                configureVpn(booted.agent(), vpn);
            } catch (ExecutionException | TimeoutException | InterruptedException e) {
                throw failedSetup("configure the VPN interface", e, config);
            }
        }
        if (inet != null) {
            try {
                configureOutbound(booted.agent());
            } catch (ExecutionException | TimeoutException | InterruptedException e) {
                throw failedSetup("configure the outbound interface", e, config);
            }
        }
        synchronized (this) {
            if (state == ExeUnitTransition.START.from()) {
                state = ExeUnitTransition.START.to();
                // Only now: QEMU sized the guest's RAM file at boot, which a lowered file size limit would refuse.
                quota = VolumeQuota.watch(shareDir(), resources.storageMib() * (1L << 20), booted.pid());
            } else {
                throw gone();
            }
        }
    }

    /** As ya-runtime-vm does on joining a network: hosts first, then eth0's address, then the route to the network. */
    private static void configureVpn(GuestAgent agent, VpnInterface vpn)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = GuestAgent.DEFAULT_DEADLINE.toMillis();
        if (!vpn.hosts().isEmpty()) {
            agent.addHosts(vpn.hosts()).get(deadline, TimeUnit.MILLISECONDS);
        }
        agent.setAddress(0, vpn.address(), vpn.mask()).get(deadline, TimeUnit.MILLISECONDS);
        agent.addRoute(0, vpn.network(), vpn.mask(), vpn.gateway()).get(deadline, TimeUnit.MILLISECONDS);
    }

    /** As the exe-unit does for outbound access: eth1's address, then the default route via the gateway (which names it the resolver too). */
    private static void configureOutbound(GuestAgent agent) throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = GuestAgent.DEFAULT_DEADLINE.toMillis();
        agent.setAddress(1, InetInterface.GUEST_ADDRESS, InetInterface.MASK).get(deadline, TimeUnit.MILLISECONDS);
        agent.addRoute(1, "", "", InetInterface.GATEWAY).get(deadline, TimeUnit.MILLISECONDS);
    }

    private ExeUnitException failedSetup(String what, Exception e, VmConfig config) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        stop();
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        return new ExeUnitException("cannot " + what + " in VM " + name + ": " + cause.getMessage()
                + "; console log: " + config.consoleLog(), cause);
    }

    /** The reserved VM resumed for this unit, or null (and the reserved VM killed) if that failed. */
    private QemuVm awaken(ReservedVm warm) {
        try {
            QemuVm awake = warm.awaken(this, runtime.settings().bootDeadline());
            name = awake.config().name();
            synchronized (this) {
                fromReserve = true;
            }
            return awake;
        } catch (IOException e) {
            LOG.warn("a reserved VM for {} could not be resumed (booting one instead): {}", name, e.getMessage());
            return null;
        }
    }

    private QemuVm coldBoot() throws ExeUnitException {
        VmConfig config;
        synchronized (this) {
            reserved = null;
            if (state != ExeUnitState.DEPLOYED) {
                throw new ExeUnitException.VmGone("the exe-unit was stopped while its VM started");
            }
        }
        try {
            config = runtime.vmConfig(name, imageFile, shareDir(), resources, workDir.resolve("vm").resolve("console.log"),
                    vpn == null ? null : vpn.device(), inet == null ? null : inet.device());
            Files.createDirectories(shareDir());
        } catch (IOException e) {
            synchronized (this) {
                state = ExeUnitState.TERMINATED;
            }
            throw new ExeUnitException("cannot prepare the VM: " + e.getMessage(), e);
        }
        try {
            return QemuVm.boot(config, this, runtime.settings().bootDeadline());
        } catch (IOException e) {
            synchronized (this) {
                state = ExeUnitState.TERMINATED;
            }
            throw new ExeUnitException(e.getMessage(), e);
        }
    }

    /** Whether this unit's VM came from the runtime's reserve (for tests and diagnostics). */
    synchronized boolean fromReserve() {
        return fromReserve;
    }

    @Override
    public RunningProcess run(RunSpec spec, OutputListener listener) throws ExeUnitException {
        QemuVm running;
        synchronized (this) {
            ExeUnitTransition.WORK.check("run", state);
            running = vm;
        }
        ContainerConfig config = image.config();
        List<String> argv = new ArrayList<>();
        argv.add(spec.entryPoint());
        argv.addAll(spec.args());
        String user = config.user().filter(u -> !u.isBlank()).orElse(null);
        ProcessRequest request = new ProcessRequest(spec.entryPoint(), argv, environment(config, spec.env()),
                config.workingDir().filter(dir -> !dir.isBlank()).orElse("/"), user);
        long pid;
        try {
            pid = running.agent().run(request).get(GuestAgent.DEFAULT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AgentException.Closed closed) {
                // The request may fail before the listener has recorded why: the connection's reason is the same.
                throw goneReason != null ? gone() : new ExeUnitException.VmGone("VM " + name + " is gone: " + closed.getMessage());
            }
            throw new ExeUnitException("cannot run " + spec.entryPoint() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new ExeUnitException("the guest did not start " + spec.entryPoint() + " within "
                    + GuestAgent.DEFAULT_DEADLINE.toSeconds() + " s; console log: " + running.consoleLog());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExeUnitException("interrupted while starting " + spec.entryPoint());
        }
        QemuRunningProcess process = new QemuRunningProcess(pid, running.agent(), listener, runtime.settings().outputCapBytes());
        processes.put(pid, process);
        Runnable done = runtime.work().begin();
        process.result().whenComplete((r, e) -> {
            processes.remove(pid, process);
            done.run();
        });
        EarlyNotices missed = early.remove(pid);
        if (missed != null) {
            missed.replayTo(process);
        }
        if (goneReason != null) {
            process.fail(gone());
        }
        return process;
    }

    @Override
    public synchronized VolumePath volumePathOf(String containerPath) throws ExeUnitException {
        if (state != ExeUnitState.DEPLOYED && state != ExeUnitState.READY) {
            throw new ExeUnitException.IllegalState("a container path can be mapped only when Deployed or Ready, not "
                    + state.apiName());
        }
        return mapping.volumePathOf(containerPath);
    }

    @Override
    public long volumeBytesLeft() throws ExeUnitException {
        synchronized (this) {
            if (state != ExeUnitState.DEPLOYED && state != ExeUnitState.READY) {
                throw new ExeUnitException.IllegalState("the volumes' space can be measured only when Deployed or Ready, not "
                        + state.apiName());
            }
        }
        try {
            return Math.max(0, resources.storageMib() * (1L << 20) - VolumeUsage.bytes(shareDir()));
        } catch (IOException e) {
            throw new ExeUnitException("cannot measure the volumes under " + shareDir() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void diskFull(boolean full) throws ExeUnitException {
        QemuVm running;
        synchronized (this) {
            ExeUnitTransition.WORK.check(full ? "fill the disk" : "give the disk room", state);
            running = vm;
        }
        try {
            running.agent().diskFull(full).get(GuestAgent.DEFAULT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ExeUnitException("cannot " + (full ? "fill" : "unfill") + " the disk of VM " + name + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new ExeUnitException("cannot " + (full ? "fill" : "unfill") + " the disk of VM " + name + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExeUnitException("interrupted while filling the disk of VM " + name);
        }
    }

    @Override
    public synchronized Optional<String> terminationReason() {
        return state == ExeUnitState.TERMINATED ? Optional.ofNullable(goneReason) : Optional.empty();
    }

    @Override
    public OptionalDouble cpuSeconds() {
        QemuVm running;
        synchronized (this) {
            running = vm;
        }
        if (running != null) {
            OptionalDouble now = ProcessCpuTime.seconds(running.pid());
            if (now.isPresent()) {
                synchronized (this) {
                    cpuSeconds = Math.max(cpuSeconds, now.getAsDouble());
                }
            }
        }
        synchronized (this) {
            return OptionalDouble.of(cpuSeconds);
        }
    }

    @Override
    public void stop() {
        cpuSeconds();
        QemuVm running;
        ReservedVm warm;
        synchronized (this) {
            if (state == ExeUnitState.TERMINATED && vm == null) {
                return;
            }
            state = ExeUnitState.TERMINATED;
            if (goneReason == null) {
                goneReason = "the exe-unit was stopped";
            }
            running = vm;
            vm = null;
            warm = reserved;
            reserved = null;
            if (quota != null) {
                quota.close();
            }
        }
        if (running != null) {
            running.shutdown(STOP_GRACE);
        }
        if (warm != null) {
            warm.close();
        }
        failAll();
        runtime.forget(this);
    }

    /** The VM behind this exe-unit while it runs, for diagnostics and tests. */
    synchronized QemuVm vm() {
        return vm;
    }

    @Override
    public void outputAvailable(long pid, int fd) {
        QemuRunningProcess process = processes.get(pid);
        if (process != null) {
            process.outputAvailable(fd);
            return;
        }
        park(pid, notices -> notices.output(fd));
    }

    @Override
    public void processDied(ProcessExit exit) {
        QemuRunningProcess process = processes.get(exit.pid());
        if (process != null) {
            process.died(exit);
            return;
        }
        park(exit.pid(), notices -> notices.died(exit));
    }

    @Override
    public void closed(AgentException.Closed cause) {
        synchronized (this) {
            if (goneReason == null) {
                QemuVm running = vm;
                goneReason = "VM " + name + " is gone: " + cause.getMessage()
                        + (running != null && !cause.getMessage().contains("console log") ? "; console log: " + running.consoleLog() : "");
            }
            state = ExeUnitState.TERMINATED;
        }
        failAll();
        early.clear();
    }

    /**
     * Keeps a notice for a process {@link #run} has not registered yet. Recorded inside the map's
     * atomic compute, so a registration that takes the parked notices never misses this one.
     */
    private void park(long pid, java.util.function.Consumer<EarlyNotices> notice) {
        early.compute(pid, (key, parked) -> {
            EarlyNotices notices = parked != null ? parked : new EarlyNotices();
            notice.accept(notices);
            return notices;
        });
        // run() may have registered the process meanwhile, and looked for parked notices before these.
        QemuRunningProcess registered = processes.get(pid);
        if (registered != null) {
            EarlyNotices missed = early.remove(pid);
            if (missed != null) {
                missed.replayTo(registered);
            }
        }
    }

    private void failAll() {
        ExeUnitException.VmGone cause = gone();
        for (QemuRunningProcess process : List.copyOf(processes.values())) {
            process.fail(cause);
        }
    }

    private ExeUnitException.VmGone gone() {
        String reason = goneReason;
        return new ExeUnitException.VmGone(reason != null ? reason : "VM " + name + " is gone");
    }

    private Path shareDir() {
        return workDir.resolve("volumes");
    }

    /** The image's Env with {@code extra} added, a variable of {@code extra} replacing the image's. */
    static List<String> environment(ContainerConfig config, Map<String, String> extra) {
        Map<String, String> merged = new LinkedHashMap<>(config.envMap());
        merged.putAll(extra);
        List<String> env = new ArrayList<>();
        merged.forEach((key, value) -> env.add(key + "=" + value));
        return env;
    }

    /** {@code /golem/input} -> {@code golem-input}, made unique among this unit's volumes. */
    private static String volumeDirName(String containerPath, Set<String> taken) {
        String base = containerPath.replaceAll("^/+|/+$", "").replaceAll("[^A-Za-z0-9._-]+", "-");
        if (base.isEmpty() || base.startsWith(".")) {
            base = "volume" + base;
        }
        String candidate = base;
        for (int i = 2; !taken.add(candidate); i++) {
            candidate = base + "-" + i;
        }
        return candidate;
    }
}
