package dev.golemsandbox.guest;

import dev.golemsandbox.home.FileTrees;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The sandbox's own guest kernel, compiled once from Debian's {@code linux-source} package with
 * {@link KernelConfigFragment the bundled fragment} over {@code allnoconfig} and the
 * {@link KernelSourceEdit source edits}: everything a
 * provider's VM offers built in, nothing else. Debian's generic kernel holds some 35 MiB of code
 * and data an idle VM never uses but still keeps resident; this one holds about 11 MiB.
 *
 * <pre>{@code
 * if (SandboxKernel.missingTools().isEmpty()) {
 *     Path vmlinux = SandboxKernel.build(SandboxKernel.source(), KernelConfigFragment.bundled(), work, progress);
 * }
 * }</pre>
 */
final class SandboxKernel {

    static final String META_PACKAGE = "linux-source";
    /** The suffix {@code uname -r} ends with in a guest booted from it. */
    static final String RELEASE_SUFFIX = "-golem-sandbox";

    /** What the kernel's build runs, by the Debian package that brings it. */
    private static final Map<String, String> TOOLS = Map.of(
            "make", "make", "gcc", "gcc", "flex", "flex", "bison", "bison", "bc", "bc", "xz", "xz-utils");
    /** Headers the build's host programs include (objtool needs libelf). */
    private static final Map<String, String> HEADERS = Map.of(
            "/usr/include/gelf.h", "libelf-dev", "/usr/include/stdio.h", "libc6-dev");
    private static final String FRAGMENT_FILE = "golem-sandbox.config";

    /** The build failed in Kconfig or the compiler: trying again with the same sources fails the same way. */
    static final class CompileFailure extends IOException {
        CompileFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private SandboxKernel() {
    }

    /** The Debian packages whose tools the build needs and the host lacks; empty when it can build. */
    static List<String> missingTools() {
        List<String> missing = new ArrayList<>();
        TOOLS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(tool -> !onPath(tool.getKey()))
                .forEach(tool -> missing.add(tool.getValue()));
        HEADERS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(header -> !Files.isRegularFile(Path.of(header.getKey())))
                .forEach(header -> missing.add(header.getValue()));
        return missing;
    }

    /**
     * 12 hex digits naming what a build is made of besides the source: the fragment's options and
     * the source edits. A kernel cached under another digest is not used.
     */
    static String digest(KernelConfigFragment fragment) {
        StringBuilder recipe = new StringBuilder(fragment.digest());
        for (KernelSourceEdit edit : KernelSourceEdit.ALL) {
            recipe.append('\n').append(edit.file()).append('\n').append(edit.find()).append('\n').append(edit.replace());
        }
        return KernelConfigFragment.shortDigest(recipe.toString());
    }

    /** The kernel source package apt offers now, e.g. {@code linux-source-6.1}. */
    static AptPackage source() throws IOException {
        return AptPackage.behind(META_PACKAGE, "linux-source-");
    }

    /**
     * Fetches {@code source} into {@code work}, configures and compiles it; returns the built
     * vmlinux (inside {@code work}). The compiler runs at a lower priority so running VMs keep
     * the CPU, and dies with the sandbox ({@code --pdeathsig}; its compiler jobs end with the file
     * each one is on).
     *
     * @throws CompileFailure when Kconfig drops an option of the fragment or the compiler fails
     */
    static Path build(AptPackage source, KernelConfigFragment fragment, Path work, Consumer<String> progress) throws IOException {
        Path root = source.fetch(work, progress);
        Path tarball = tarballIn(root);
        progress.accept("unpacking " + tarball.getFileName());
        HostCommand.run(List.of("tar", "-xaf", tarball.toString(), "-C", work.toString()), null, Duration.ofMinutes(15));
        FileTrees.deleteQuietly(root);
        Path tree = treeIn(work);
        for (KernelSourceEdit edit : KernelSourceEdit.ALL) {
            if (!edit.applyTo(tree)) {
                progress.accept("left out a change to " + edit.file() + " that this source does not fit: " + edit.why());
            }
        }
        Files.writeString(tree.resolve(FRAGMENT_FILE), fragment.text(), StandardCharsets.UTF_8);
        try {
            make(tree, Duration.ofMinutes(5), "allnoconfig");
            HostCommand.run(List.of("scripts/kconfig/merge_config.sh", "-m", ".config", FRAGMENT_FILE), tree, Duration.ofMinutes(5));
            make(tree, Duration.ofMinutes(5), "olddefconfig");
        } catch (IOException e) {
            throw new CompileFailure("configuring " + source.name() + " failed: " + e.getMessage(), e);
        }
        List<String> unmet = fragment.unmetIn(tree.resolve(".config"));
        if (!unmet.isEmpty()) {
            throw new CompileFailure(source.name() + " " + source.version() + " cannot be configured as the guest needs: "
                    + String.join(", ", unmet), null);
        }
        int jobs = Runtime.getRuntime().availableProcessors() + 1;
        progress.accept("compiling the guest kernel from " + source.name() + " " + source.version()
                + " (once; about 5 minutes on 2 cores, at low priority)");
        try {
            HostCommand.run(List.of("setpriv", "--pdeathsig", "KILL", "--", "nice", "-n", "10",
                    "make", "-s", "-j" + jobs, "ARCH=x86_64", "vmlinux"), tree, Duration.ofMinutes(90));
        } catch (IOException e) {
            throw new CompileFailure("compiling " + source.name() + " failed: " + e.getMessage(), e);
        }
        Path vmlinux = tree.resolve("vmlinux");
        if (!Files.isRegularFile(vmlinux)) {
            throw new CompileFailure("the kernel build of " + source.name() + " left no vmlinux", null);
        }
        return vmlinux;
    }

    private static void make(Path tree, Duration timeout, String target) throws IOException {
        HostCommand.run(List.of("make", "-s", "ARCH=x86_64", target), tree, timeout);
    }

    private static Path tarballIn(Path root) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("usr/src"))) {
            return files.filter(f -> f.getFileName().toString().matches("linux-source-.*\\.tar\\.(xz|bz2|gz)")).findFirst()
                    .orElseThrow(() -> new IOException("no usr/src/linux-source-*.tar.* in the source package"));
        }
    }

    private static Path treeIn(Path work) throws IOException {
        try (Stream<Path> dirs = Files.list(work)) {
            return dirs.filter(dir -> Files.isRegularFile(dir.resolve("Makefile")) && Files.isDirectory(dir.resolve("arch/x86")))
                    .findFirst()
                    .orElseThrow(() -> new IOException("the source package unpacked to no kernel tree"));
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
