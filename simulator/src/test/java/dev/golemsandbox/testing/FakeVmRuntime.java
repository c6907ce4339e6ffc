package dev.golemsandbox.testing;

import dev.golemsandbox.exeunit.Deployment;
import dev.golemsandbox.exeunit.ExeUnit;
import dev.golemsandbox.exeunit.ExeUnitException;
import dev.golemsandbox.exeunit.ExeUnitState;
import dev.golemsandbox.exeunit.ExeUnitTransition;
import dev.golemsandbox.exeunit.OutputListener;
import dev.golemsandbox.exeunit.ProcessResult;
import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.RunSpec;
import dev.golemsandbox.exeunit.RunningProcess;
import dev.golemsandbox.exeunit.VmRuntime;
import dev.golemsandbox.exeunit.Volume;
import dev.golemsandbox.volume.VolumePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test double of the exe-unit contract for the activity API's unit tests: it keeps the
 * contract's states, volumes and output/result semantics, but its "processes" are a few
 * deterministic programs run on threads instead of a VM:
 * <ul>
 *   <li>{@code /bin/echo a b} prints "a b\n"; {@code /bin/printenv NAME} prints the variable</li>
 *   <li>{@code /bin/fail CODE MESSAGE} prints MESSAGE to stderr and exits with CODE</li>
 *   <li>{@code /bin/gate NAME LINE...} prints each LINE, waiting before each for {@link #open(String)}</li>
 *   <li>{@code /bin/hang} runs until killed</li>
 *   <li>{@code /bin/cat PATH} prints a file of a volume; {@code /bin/write PATH TEXT} writes one</li>
 *   <li>{@code /bin/bytes N} prints N bytes 0..255 repeated</li>
 * </ul>
 */
public final class FakeVmRuntime implements VmRuntime {

    private final List<String> volumes;
    private final List<FakeExeUnit> units = new CopyOnWriteArrayList<>();
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private volatile long volumeBytesLeft = Long.MAX_VALUE;

    /** A runtime whose images declare these volumes. */
    public FakeVmRuntime(String... volumes) {
        this.volumes = List.of(volumes);
    }

    @Override
    public ExeUnit newExeUnit(Path image, Resources resources, Path workDir) {
        FakeExeUnit unit = new FakeExeUnit(image, workDir);
        units.add(unit);
        return unit;
    }

    /** Every exe-unit made so far, oldest first. */
    public List<FakeExeUnit> units() {
        return List.copyOf(units);
    }

    /** Lets go of the exe-units that have stopped, so a test of the sandbox's own memory does not measure this list. */
    public void forgetStoppedUnits() {
        units.removeIf(unit -> unit.state() == ExeUnitState.TERMINATED);
    }

    /** What every exe-unit says is left in its volumes (unbounded unless a test sets it). */
    public void volumeBytesLeft(long bytes) {
        volumeBytesLeft = bytes;
    }

    /** Lets {@code /bin/gate NAME} print its next line. */
    public void open(String gate) {
        gate(gate).countDown();
    }

    private CountDownLatch gate(String name) {
        return gates.computeIfAbsent(name, n -> new CountDownLatch(1));
    }

    private void close(String name) {
        gates.put(name, new CountDownLatch(1));
    }

    @Override
    public void close() {
        units.forEach(FakeExeUnit::stop);
    }

    /** One fake VM. */
    public final class FakeExeUnit implements ExeUnit {
        private final Path image;
        private final Path workDir;
        private final List<Volume> mounted = new ArrayList<>();
        private final List<FakeProcess> processes = new CopyOnWriteArrayList<>();
        private final AtomicLong pids = new AtomicLong(100);
        private volatile ExeUnitState state = ExeUnitState.INITIALIZED;
        private volatile String terminationReason;

        FakeExeUnit(Path image, Path workDir) {
            this.image = image;
            this.workDir = workDir;
        }

        @Override
        public long volumeBytesLeft() {
            return volumeBytesLeft;
        }

        /** The image file deploy was given. */
        public Path image() {
            return image;
        }

        @Override
        public ExeUnitState state() {
            return state;
        }

        @Override
        public synchronized Deployment deploy() throws ExeUnitException {
            ExeUnitTransition.DEPLOY.check("deploy", state);
            try {
                if (Files.size(image) == 0) {
                    throw new ExeUnitException.InvalidImage("not a GVMI image: " + image + " is empty", null);
                }
                for (int i = 0; i < volumes.size(); i++) {
                    Path dir = Files.createDirectories(workDir.resolve("vol-" + i));
                    mounted.add(new Volume(volumes.get(i), dir));
                }
            } catch (IOException e) {
                throw new ExeUnitException("deploy failed: " + e.getMessage(), e);
            }
            state = ExeUnitTransition.DEPLOY.to();
            return new Deployment(mounted);
        }

        @Override
        public synchronized void start() throws ExeUnitException {
            ExeUnitTransition.START.check("start", state);
            state = ExeUnitTransition.START.to();
        }

        @Override
        public RunningProcess run(RunSpec spec, OutputListener listener) throws ExeUnitException {
            ExeUnitTransition.WORK.check("run", state);
            FakeProcess process = new FakeProcess(pids.incrementAndGet(), spec, listener);
            processes.add(process);
            Thread thread = new Thread(process::execute, "fake-process-" + process.pid);
            thread.setDaemon(true);
            process.thread = thread;
            thread.start();
            return process;
        }

        @Override
        public VolumePath volumePathOf(String containerPath) throws ExeUnitException {
            if (state != ExeUnitState.DEPLOYED && state != ExeUnitState.READY) {
                throw new ExeUnitException.IllegalState("volumePathOf is legal in DEPLOYED and READY, not " + state);
            }
            Volume best = null;
            for (Volume volume : mounted) {
                String prefix = volume.containerPath();
                boolean under = containerPath.equals(prefix) || containerPath.startsWith(prefix + "/");
                if (under && (best == null || prefix.length() > best.containerPath().length())) {
                    best = volume;
                }
            }
            if (best == null || containerPath.contains("/../")) {
                throw new ExeUnitException.PathNotFound(containerPath);
            }
            String rest = containerPath.substring(best.containerPath().length()).replaceFirst("^/+", "");
            return new VolumePath(best.hostDir(), rest.replaceAll("/+$", ""));
        }

        @Override
        public OptionalDouble cpuSeconds() {
            return state == ExeUnitState.INITIALIZED || state == ExeUnitState.DEPLOYED
                    ? OptionalDouble.of(0) : OptionalDouble.of(1.25);
        }

        @Override
        public void stop() {
            end("the VM was stopped");
        }

        /** The VM ends on its own with {@code reason}, as a crashed or killed VM does. */
        public void die(String reason) {
            terminationReason = reason;
            end(reason);
        }

        @Override
        public Optional<String> terminationReason() {
            return Optional.ofNullable(terminationReason);
        }

        private void end(String reason) {
            state = ExeUnitState.TERMINATED;
            for (FakeProcess process : processes) {
                process.result.completeExceptionally(new ExeUnitException.VmGone(reason));
                process.thread.interrupt();
            }
        }

        /** A "process": one of the fake programs on a thread of its own. */
        private final class FakeProcess implements RunningProcess {
            private final long pid;
            private final RunSpec spec;
            private final OutputListener listener;
            private final CompletableFuture<ProcessResult> result = new CompletableFuture<>();
            private volatile Thread thread;
            private volatile int killedBy;

            FakeProcess(long pid, RunSpec spec, OutputListener listener) {
                this.pid = pid;
                this.spec = spec;
                this.listener = listener;
            }

            @Override
            public long pid() {
                return pid;
            }

            @Override
            public CompletableFuture<ProcessResult> result() {
                return result;
            }

            @Override
            public void kill(int signal) {
                killedBy = signal;
                thread.interrupt();
            }

            void execute() {
                int exitCode;
                try {
                    exitCode = program(spec.entryPoint(), spec.args());
                } catch (InterruptedException e) {
                    exitCode = 128 + killedBy;
                } catch (IOException | ExeUnitException e) {
                    listener.stderr((e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
                    exitCode = 1;
                }
                result.complete(new ProcessResult(exitCode, killedBy, new byte[0], new byte[0], false, false));
            }

            private int program(String entryPoint, List<String> args)
                    throws InterruptedException, IOException, ExeUnitException {
                switch (entryPoint) {
                    case "/bin/echo" -> out(String.join(" ", args) + "\n");
                    case "/bin/printenv" -> out(spec.env().getOrDefault(args.get(0), "") + "\n");
                    case "/bin/fail" -> {
                        err(args.get(1) + "\n");
                        return Integer.parseInt(args.get(0));
                    }
                    case "/bin/gate" -> {
                        for (String line : args.subList(1, args.size())) {
                            gate(args.get(0)).await();
                            FakeVmRuntime.this.close(args.get(0));
                            out(line + "\n");
                        }
                    }
                    case "/bin/hang" -> new CountDownLatch(1).await();
                    case "/bin/cat" -> listener.stdout(Files.readAllBytes(hostPathOf(args.get(0))));
                    case "/bin/write" -> Files.writeString(hostPathOf(args.get(0)), args.get(1));
                    case "/bin/bytes" -> {
                        byte[] bytes = new byte[Integer.parseInt(args.get(0))];
                        for (int i = 0; i < bytes.length; i++) {
                            bytes[i] = (byte) i;
                        }
                        listener.stdout(bytes);
                    }
                    default -> {
                        err("exec " + entryPoint + ": No such file or directory\n");
                        return 127;
                    }
                }
                return 0;
            }

            private void out(String text) {
                listener.stdout(text.getBytes(StandardCharsets.UTF_8));
            }

            private void err(String text) {
                listener.stderr(text.getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
