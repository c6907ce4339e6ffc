package dev.golemsandbox.vm;

import dev.golemsandbox.agent.AgentListener;
import dev.golemsandbox.agent.GuestAgent;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running QEMU microVM and the connection to its guest agent. QEMU is started from a thread
 * that lives exactly as long as the VM, under {@code setpriv --pdeathsig KILL}, so it dies with
 * its owner even when the JVM is killed with {@code kill -9}; a shutdown hook covers ordinary
 * exits.
 *
 * <pre>{@code
 * try (QemuVm vm = QemuVm.boot(config, listener, Duration.ofSeconds(30))) {
 *     vm.agent().run(request).join();
 * }   // close: quit the guest, then kill QEMU if it lingers
 * }</pre>
 *
 * States: booting (inside {@link #boot}), running, paused ({@link #pause}, back with
 * {@link #resume}), exited. {@link #agent} is usable while running (requests sent while paused
 * wait for the resume);
 * {@link #shutdown} and {@link #kill} are legal in any state and idempotent.
 */
public final class QemuVm implements AutoCloseable {

    private static final String MONITOR_SOCKET = "qmp.sock";

    private final VmConfig config;
    private final Process process;
    private final CompletableFuture<Integer> exited;
    private final Path runDir;
    private final Path qemuLog;
    private volatile GuestAgent agent;

    private QemuVm(VmConfig config, Process process, CompletableFuture<Integer> exited, Path runDir, Path qemuLog) {
        this.config = config;
        this.process = process;
        this.exited = exited;
        this.runDir = runDir;
        this.qemuLog = qemuLog;
    }

    /**
     * Starts QEMU and waits until the guest agent says hello.
     *
     * @throws VmBootException naming what failed, with QEMU's error or the console's last lines
     */
    public static QemuVm boot(VmConfig config, AgentListener listener, Duration deadline) throws VmBootException {
        return boot(config, listener, deadline, BootPriority.normal());
    }

    /** The same with QEMU at {@code priority}: niced for boots that must not slow anything else down. */
    public static QemuVm boot(VmConfig config, AgentListener listener, Duration deadline, BootPriority priority)
            throws VmBootException {
        long start = System.nanoTime();
        Path runDir;
        BootFiles bootFiles;
        try {
            Files.createDirectories(config.consoleLog().toAbsolutePath().getParent());
            Files.deleteIfExists(config.consoleLog());
            runDir = RunDirectory.create();
        } catch (IOException e) {
            throw new VmBootException("cannot prepare the files of VM " + config.name() + ": " + e.getMessage(), e);
        }
        try {
            bootFiles = BootFiles.stage(config.assets(), runDir);
        } catch (IOException e) {
            RunDirectory.delete(runDir);
            throw new VmBootException("cannot prepare the files of VM " + config.name() + ": " + e.getMessage(), e);
        }
        Path socket = runDir.resolve("agent.sock");
        Path qemuLog = config.consoleLog().resolveSibling("qemu.log");
        ServerSocketChannel server = null;
        QemuVm vm = null;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            List<String> command = new ArrayList<>();
            int niceness = priority.niceness();
            if (niceness > 0) {
                command.addAll(List.of("nice", "-n", Integer.toString(niceness)));
            }
            command.addAll(QemuCommand.of(config, bootFiles, socket));
            command.addAll(QmpMonitor.arguments(runDir.resolve(MONITOR_SOCKET)));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(qemuLog.toFile())
                    .redirectErrorStream(true);
            CompletableFuture<Process> started = new CompletableFuture<>();
            CompletableFuture<Integer> exited = new CompletableFuture<>();
            Thread owner = new Thread(() -> own(builder, started, exited), config.name() + "-qemu");
            owner.setDaemon(true);
            owner.start();
            Process process = started.get();
            priority.started(process.pid());
            vm = new QemuVm(config, process, exited, runDir, qemuLog);
            ConsoleLogCap.watch(config.consoleLog());
            exited.thenRun(() -> ConsoleLogCap.forget(config.consoleLog()));
            SocketChannel channel = accept(server, exited, deadline, vm);
            GuestAgent agent = GuestAgent.attach(channel, config.name(), listener);
            vm.agent = agent;
            QemuVm running = vm;
            exited.thenAccept(code -> agent.close("QEMU of VM " + config.name() + " exited with code " + code
                    + "; console log: " + running.consoleLog()));
            // A VM whose agent connection broke (a hostile guest, a failed reader) is useless: kill it.
            agent.whenClosed().thenRun(process::destroyForcibly);
            exited.thenRun(() -> RunDirectory.delete(running.runDir));
            Duration left = deadline.minusNanos(System.nanoTime() - start);
            try {
                agent.ready().get(Math.max(1, left.toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw vm.bootFailure("the guest agent did not report ready within " + deadline.toSeconds() + " s");
            } catch (ExecutionException e) {
                exited.completeOnTimeout(-1, 2, TimeUnit.SECONDS).join();
                throw vm.bootFailure("the VM stopped before its agent was ready");
            }
            return vm;
        } catch (VmBootException e) {
            if (vm != null) {
                vm.kill();
            }
            throw e;
        } catch (IOException | ExecutionException e) {
            if (vm != null) {
                vm.kill();
            }
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new VmBootException("cannot start QEMU for VM " + config.name() + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            if (vm != null) {
                vm.kill();
            }
            Thread.currentThread().interrupt();
            throw new VmBootException("interrupted while booting VM " + config.name(), e);
        } finally {
            closeQuietly(server);
            // Ready or failed: either way QEMU reads the boot files no more.
            bootFiles.release();
            try {
                Files.deleteIfExists(socket);
            } catch (IOException ignored) {
                // Removed with the run directory.
            }
            if (vm == null) {
                RunDirectory.delete(runDir);
            }
        }
    }

    /** Runs on the owner thread: starts QEMU and lives until it exits (see the class comment). */
    private static void own(ProcessBuilder builder, CompletableFuture<Process> started, CompletableFuture<Integer> exited) {
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            started.completeExceptionally(e);
            exited.complete(-1);
            return;
        }
        LiveVms.add(process);
        started.complete(process);
        int code;
        for (;;) {
            try {
                code = process.waitFor();
                break;
            } catch (InterruptedException e) {
                // This thread must outlive QEMU: its end would fire QEMU's parent-death signal.
            }
        }
        LiveVms.remove(process);
        exited.complete(code);
    }

    private static SocketChannel accept(ServerSocketChannel server, CompletableFuture<Integer> exited, Duration deadline,
                                        QemuVm vm) throws VmBootException, InterruptedException {
        CompletableFuture<SocketChannel> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return server.accept();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        exited.thenRun(() -> closeQuietly(server));
        try {
            return accepted.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(server);
            exited.completeOnTimeout(-1, 2, TimeUnit.SECONDS);
            throw vm.bootFailure("QEMU did not connect to the agent socket");
        }
    }

    private VmBootException bootFailure(String what) {
        StringBuilder message = new StringBuilder("VM " + config.name() + " did not boot: " + what);
        if (exited.isDone()) {
            message.append("; QEMU exited with code ").append(exited.join());
            String qemuSaid = tail(qemuLog, 3);
            if (!qemuSaid.isEmpty()) {
                message.append(": ").append(qemuSaid);
            }
        }
        String console = tail(config.consoleLog(), 3);
        if (!console.isEmpty()) {
            message.append("; console ends with: ").append(console);
        }
        message.append("; console log: ").append(config.consoleLog());
        return new VmBootException(message.toString(), null);
    }

    /** The last {@code lines} non-empty lines of a log, joined by " | ". */
    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream()
                    .map(String::strip).filter(line -> !line.isEmpty()).toList();
            return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "";
        }
    }

    public VmConfig config() {
        return config;
    }

    /** The connection to the guest agent. Legal once booted. */
    public GuestAgent agent() {
        return agent;
    }

    /** The QEMU process id on the host. */
    public long pid() {
        return process.pid();
    }

    /** The guest's serial console, kept after the VM is gone. */
    public Path consoleLog() {
        return config.consoleLog();
    }

    public boolean isAlive() {
        return !exited.isDone();
    }

    /** Completes with QEMU's exit code when it exits. */
    public CompletableFuture<Integer> exited() {
        return exited;
    }

    /** Stops the guest's CPUs (QMP {@code stop}): a paused VM costs no CPU, and its clock stands still. */
    public void pause() throws IOException {
        QmpMonitor.execute(runDir.resolve(MONITOR_SOCKET), "stop");
    }

    /** Lets a paused guest run again (QMP {@code cont}). */
    public void resume() throws IOException {
        QmpMonitor.execute(runDir.resolve(MONITOR_SOCKET), "cont");
    }

    /**
     * Asks the guest to sync, unmount its volumes and power off; kills QEMU if that does not
     * happen within {@code grace}.
     */
    public void shutdown(Duration grace) {
        GuestAgent connection = agent;
        if (isAlive() && connection != null && !connection.isClosed()) {
            try {
                connection.quit(grace).get(grace.toMillis(), TimeUnit.MILLISECONDS);
                exited.get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // Fall through to the kill below.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        kill();
    }

    /** Kills QEMU at once and waits (briefly) for it to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            exited.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Killed with SIGKILL: the owner thread records the exit when the kernel reports it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        GuestAgent connection = agent;
        if (connection != null) {
            connection.close("VM " + config.name() + " was stopped");
        }
        RunDirectory.delete(runDir);
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }

    private static void closeQuietly(ServerSocketChannel server) {
        if (server != null) {
            try {
                server.close();
            } catch (IOException ignored) {
                // Nothing to do: the socket file is removed separately.
            }
        }
    }
}
