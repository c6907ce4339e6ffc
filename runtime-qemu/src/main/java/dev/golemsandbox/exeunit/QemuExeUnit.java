package dev.golemsandbox.exeunit;

import dev.golemsandbox.agent.AgentException;
import dev.golemsandbox.agent.AgentListener;
import dev.golemsandbox.agent.GuestAgent;
import dev.golemsandbox.agent.ProcessExit;
import dev.golemsandbox.agent.ProcessRequest;
import dev.golemsandbox.gvmi.ContainerConfig;
import dev.golemsandbox.gvmi.GvmiFormatException;
import dev.golemsandbox.gvmi.GvmiImage;
import dev.golemsandbox.vm.AcceleratorChoice;
import dev.golemsandbox.vm.ProcessCpuTime;
import dev.golemsandbox.vm.QemuVm;
import dev.golemsandbox.vm.VmConfig;
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

/**
 * An {@link ExeUnit} backed by one QEMU microVM. Volumes are sub-directories of one host
 * directory ({@code <workDir>/volumes}) shared into the VM over 9p and bind-mounted by the agent
 * at their paths; the console log is kept in {@code <workDir>/vm/console.log}.
 */
final class QemuExeUnit implements ExeUnit, AgentListener {

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final QemuVmRuntime runtime;
    private final String name;
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
    private QemuVm vm;
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
    public synchronized Deployment deploy() throws ExeUnitException {
        ExeUnitTransition.DEPLOY.check("deploy", state);
        try {
            image = GvmiImage.open(imageFile);
        } catch (GvmiFormatException e) {
            throw new ExeUnitException.InvalidImage(e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new ExeUnitException.InvalidImage("image not found: " + imageFile, e);
        } catch (IOException e) {
            throw new ExeUnitException.InvalidImage("cannot read image " + imageFile + ": " + e.getMessage(), e);
        }
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

    @Override
    public void start() throws ExeUnitException {
        VmConfig config;
        synchronized (this) {
            ExeUnitTransition.START.check("start", state);
            AcceleratorChoice accelerator;
            try {
                accelerator = runtime.accelerator();
                config = new VmConfig(name, runtime.assets(), accelerator.accelerator(), imageFile, shareDir(),
                        resources.cpuThreads(), resources.memoryMib(), resources.storageMib(),
                        workDir.resolve("vm").resolve("console.log"), false);
                Files.createDirectories(shareDir());
            } catch (IOException e) {
                state = ExeUnitState.TERMINATED;
                throw new ExeUnitException("cannot prepare the VM: " + e.getMessage(), e);
            }
        }
        QemuVm booted;
        try {
            booted = QemuVm.boot(config, this, runtime.settings().bootDeadline());
        } catch (IOException e) {
            synchronized (this) {
                state = ExeUnitState.TERMINATED;
            }
            throw new ExeUnitException(e.getMessage(), e);
        }
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
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            stop();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new ExeUnitException("cannot mount the volumes in VM " + name + ": " + cause.getMessage()
                    + "; console log: " + config.consoleLog(), cause);
        }
        synchronized (this) {
            if (state == ExeUnitTransition.START.from()) {
                state = ExeUnitTransition.START.to();
            } else {
                throw gone();
            }
        }
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
        process.result().whenComplete((r, e) -> processes.remove(pid, process));
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
    public synchronized Path hostPathOf(String containerPath) throws ExeUnitException {
        if (state != ExeUnitState.DEPLOYED && state != ExeUnitState.READY) {
            throw new ExeUnitException.IllegalState("a container path can be mapped only when Deployed or Ready, not "
                    + state.apiName());
        }
        return mapping.hostPathOf(containerPath);
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
        }
        if (running != null) {
            running.shutdown(STOP_GRACE);
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
