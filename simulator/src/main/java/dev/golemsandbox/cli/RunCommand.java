package dev.golemsandbox.cli;

import dev.golemsandbox.exeunit.Deployment;
import dev.golemsandbox.exeunit.ExeUnit;
import dev.golemsandbox.exeunit.ExeUnitException;
import dev.golemsandbox.exeunit.OutputListener;
import dev.golemsandbox.exeunit.ProcessResult;
import dev.golemsandbox.exeunit.QemuVmRuntime;
import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.RunSpec;
import dev.golemsandbox.exeunit.RuntimeSettings;
import dev.golemsandbox.exeunit.Volume;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.http.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code golem-sandbox run}: boots an image in a microVM as a provider would and runs one command
 * in it, or, without a command, reads lines (from a terminal or a pipe) and runs each as
 * {@code /bin/sh -c "<line>"} in the same VM until {@code exit} or end of input.
 */
@Command(name = "run",
        description = {"Boot a GVMI image in a QEMU microVM and run a command in it, as a provider would.",
                "Without a command: a prompt where each line runs as /bin/sh -c \"<line>\" in the same VM; "
                        + "Ctrl-D or 'exit' shuts it down. Lines may come from a pipe."},
        mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--image", required = true, paramLabel = "IMAGE", description = "A .gvmi file, or a tag or hash of the local image store.")
    String image;

    @Option(names = "--mem", defaultValue = "512m", paramLabel = "SIZE", description = "VM memory (default: ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--cpus", defaultValue = "1", paramLabel = "N", description = "VM CPU threads (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--storage", defaultValue = "512m", paramLabel = "SIZE",
            description = "Cap of files written outside volumes, kept in VM memory (default: ${DEFAULT-VALUE}).")
    String storage;

    @Option(names = "--volume-dir", paramLabel = "DIR",
            description = "Keep the volumes (DIR/volumes/<name>) and the console log (DIR/vm/console.log) here; default: a temp dir removed at exit.")
    Path volumeDir;

    @Parameters(paramLabel = "COMMAND", arity = "0..*",
            description = "Program and arguments (after --). An absolute path runs as is; a bare name is looked up on the image's PATH by /bin/sh.")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        SandboxHome home = common.home();
        Path gvmi = ImageReference.resolve(image, home);
        Resources resources = resources();
        PrintStream err = System.err;
        Path workDir = volumeDir != null ? Files.createDirectories(volumeDir.toAbsolutePath()) : Files.createTempDirectory("golem-sandbox-run-");
        boolean keepWorkDir = volumeDir != null;
        RuntimeSettings settings = RuntimeSettings.of(home).withProgress(line -> err.println("golem-sandbox: " + line));
        try (QemuVmRuntime runtime = new QemuVmRuntime(settings);
             ExeUnit unit = runtime.newExeUnit(gvmi, resources, workDir)) {
            Deployment deployment = deploy(unit);
            boot(runtime, unit, workDir);
            if (!command.isEmpty()) {
                return runOnce(unit);
            }
            for (Volume volume : deployment.volumes()) {
                err.println("golem-sandbox: volume " + volume.containerPath() + " is " + volume.hostDir());
            }
            return prompt(unit, err);
        } catch (UserError e) {
            keepWorkDir |= e.exitCode() == UserError.UNAVAILABLE;
            throw e;
        } finally {
            if (!keepWorkDir) {
                deleteTree(workDir);
            }
        }
    }

    private Resources resources() {
        if (cpus < 1) {
            throw new UserError(UserError.BAD_INPUT, "--cpus " + cpus + " must be at least 1", null);
        }
        long memoryMib = SizeOption.mebibytes("--mem", memory);
        if (memoryMib < 64) {
            throw new UserError(UserError.BAD_INPUT, "--mem " + memory + " is below the 64 MiB a VM needs", null);
        }
        return new Resources(cpus, memoryMib, SizeOption.mebibytes("--storage", storage));
    }

    private static Deployment deploy(ExeUnit unit) {
        try {
            return unit.deploy();
        } catch (ExeUnitException e) {
            throw new UserError(UserError.BAD_INPUT, e.getMessage(), null);
        }
    }

    private static void boot(QemuVmRuntime runtime, ExeUnit unit, Path workDir) {
        try {
            runtime.prepare();
        } catch (IOException e) {
            throw new UserError(UserError.UNAVAILABLE, "cannot prepare the guest: " + e.getMessage(),
                    "run 'golem-sandbox doctor' to check QEMU, apt and the guest assets");
        }
        try {
            unit.start();
        } catch (ExeUnitException e) {
            throw new UserError(UserError.UNAVAILABLE, e.getMessage(),
                    "the VM's files are kept in " + workDir + "; 'golem-sandbox doctor' checks the host");
        }
    }

    private int runOnce(ExeUnit unit) throws InterruptedException {
        String program = command.get(0);
        RunSpec spec = program.startsWith("/")
                ? new RunSpec(program, command.subList(1, command.size()), Map.of())
                : new RunSpec("/bin/sh", concat(List.of("-c", "exec \"$0\" \"$@\""), command), Map.of());
        return execute(unit, spec).exitCode();
    }

    private static int prompt(ExeUnit unit, PrintStream err) throws IOException, InterruptedException {
        boolean interactive = System.console() != null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int last = 0;
        for (;;) {
            if (interactive) {
                err.print("golem-sandbox> ");
                err.flush();
            }
            String line = in.readLine();
            if (line == null || line.strip().equals("exit")) {
                return last;
            }
            if (line.isBlank()) {
                continue;
            }
            ProcessResult result = execute(unit, RunSpec.shell(line));
            last = result.exitCode();
            if (last != 0) {
                err.println("exit code " + last);
            }
        }
    }

    private static ProcessResult execute(ExeUnit unit, RunSpec spec) throws InterruptedException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        OutputListener echo = new OutputListener() {
            @Override
            public void stdout(byte[] chunk) {
                out.write(chunk, 0, chunk.length);
                out.flush();
            }

            @Override
            public void stderr(byte[] chunk) {
                err.write(chunk, 0, chunk.length);
                err.flush();
            }
        };
        try {
            return unit.run(spec, echo).result().get();
        } catch (ExeUnitException e) {
            throw new UserError(e instanceof ExeUnitException.VmGone ? UserError.UNAVAILABLE : UserError.BAD_INPUT, e.getMessage(), null);
        } catch (ExecutionException e) {
            throw new UserError(UserError.UNAVAILABLE, e.getCause().getMessage(), null);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // A temp dir that cannot be removed is left to the system's temp cleaning.
        }
    }
}
