package dev.golemsandbox.image;

import dev.golemsandbox.gvmi.ContainerConfig;
import dev.golemsandbox.gvmi.Sha3;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Figures for GVMI conversion and hashing, measured in one run on one machine (run it through
 * {@code runtime-qemu/bench/gvmi-bench.sh}, which prepares the inputs and sets the heap limit):
 *
 * <ul>
 *   <li>converting a root filesystem directory, as a ratio to plain {@code mksquashfs} on the same
 *       directory with the same compression, and the peak heap used while converting;</li>
 *   <li>the same for a {@code docker save} archive of that directory (layer extraction included);</li>
 *   <li>SHA3-224 of a large file, as a ratio to Python's hashlib on the same file.</li>
 * </ul>
 *
 * Arguments: rootfs directory, file to hash, scratch directory, runs per measurement.
 */
public final class ConversionBenchmark {

    private static final String PYTHON_SHA3 = "import hashlib,sys\n"
            + "h=hashlib.sha3_224()\n"
            + "f=open(sys.argv[1],'rb')\n"
            + "for b in iter(lambda: f.read(1<<20), b''): h.update(b)\n"
            + "print(h.hexdigest())\n";

    private ConversionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path rootfs = Path.of(args[0]);
        Path hashInput = Path.of(args[1]);
        Path scratch = Path.of(args[2]);
        int runs = Integer.parseInt(args[3]);
        ContainerConfig config = ContainerConfig.empty().withVolumes(List.of("/golem/output")).withWorkingDir("/golem/work");
        GvmiConverter converter = new GvmiConverter(Compression.LZO, ProgressListener.NONE).withWorkDirectory(scratch);
        System.out.printf(Locale.ROOT, "rootfs: %s, %.1f MB; heap limit %d MB; %d run(s) each, best shown%n", rootfs,
                directorySize(rootfs) / 1e6, Runtime.getRuntime().maxMemory() >> 20, runs);

        long plainBest = Long.MAX_VALUE;
        long convertBest = Long.MAX_VALUE;
        long convertHeap = 0;
        for (int i = 0; i < runs; i++) {
            plainBest = Math.min(plainBest, plainMksquashfs(rootfs, scratch.resolve("plain.sqfs")));
            resetPeaks();
            long start = System.nanoTime();
            converter.convertRootfs(rootfs, config, scratch.resolve("rootfs.gvmi"));
            convertBest = Math.min(convertBest, System.nanoTime() - start);
            convertHeap = Math.max(convertHeap, peakHeap());
        }
        System.out.printf(Locale.ROOT, "rootfs directory -> GVMI (lzo): %.2f s, plain mksquashfs: %.2f s, ratio %.3f (target <= 1.15); peak heap %.1f MB (target <= 256)%n",
                convertBest / 1e9, plainBest / 1e9, (double) convertBest / plainBest, convertHeap / 1e6);
        Files.deleteIfExists(scratch.resolve("rootfs.gvmi"));

        Path archive = scratch.resolve("rootfs-save.tar");
        saveAsDockerArchive(rootfs, archive);
        resetPeaks();
        StepTimes steps = new StepTimes();
        long start = System.nanoTime();
        new GvmiConverter(Compression.LZO, steps).withWorkDirectory(scratch)
                .convertArchive(archive, ConfigOverrides.none(), scratch.resolve("archive.gvmi"));
        long archiveTime = System.nanoTime() - start;
        steps.step("done");
        System.out.printf(Locale.ROOT, "docker save archive (1 layer) -> GVMI (lzo): %.2f s, ratio to plain mksquashfs %.3f; peak heap %.1f MB%n  steps: %s%n",
                archiveTime / 1e9, (double) archiveTime / plainBest, peakHeap() / 1e6, steps);
        Files.deleteIfExists(archive);
        Files.deleteIfExists(scratch.resolve("archive.gvmi"));
        Files.deleteIfExists(scratch.resolve("plain.sqfs"));

        long javaBest = Long.MAX_VALUE;
        long pythonBest = Long.MAX_VALUE;
        String javaHash = null;
        String pythonHash = null;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            pythonHash = python(hashInput);
            pythonBest = Math.min(pythonBest, System.nanoTime() - t0);
            long t1 = System.nanoTime();
            javaHash = Sha3.hex224(hashInput);
            javaBest = Math.min(javaBest, System.nanoTime() - t1);
        }
        if (!javaHash.equals(pythonHash)) {
            throw new IllegalStateException("SHA3-224 differs: java " + javaHash + ", python " + pythonHash);
        }
        double mb = Files.size(hashInput) / 1e6;
        System.out.printf(Locale.ROOT, "SHA3-224 of %.0f MB: java %.2f s (%.0f MB/s), python hashlib %.2f s (%.0f MB/s), ratio %.2f%n",
                mb, javaBest / 1e9, mb / (javaBest / 1e9), pythonBest / 1e9, mb / (pythonBest / 1e9), (double) javaBest / pythonBest);
    }

    /** How long each conversion step took. */
    private static final class StepTimes implements ProgressListener {

        private final StringBuilder summary = new StringBuilder();
        private String current;
        private long since;

        @Override
        public void step(String description) {
            long now = System.nanoTime();
            if (current != null) {
                summary.append(String.format(Locale.ROOT, "%s%s %.2f s", summary.length() == 0 ? "" : ", ",
                        current.replaceFirst(" \\(.*", ""), (now - since) / 1e9));
            }
            current = description;
            since = now;
        }

        @Override
        public void progress(String step, long done, long total) {
        }

        @Override
        public String toString() {
            return summary.toString();
        }
    }

    private static long plainMksquashfs(Path rootfs, Path output) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder("mksquashfs", rootfs.toString(), output.toString(), "-comp", "lzo", "-noappend")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IOException("mksquashfs failed");
        }
        return System.nanoTime() - start;
    }

    private static String python(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", "-c", PYTHON_SHA3, file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IOException("python3 hashlib failed");
        }
        return out;
    }

    /** The rootfs as a one-layer docker save archive (tar of the directory via the tar tool, keeping owners). */
    private static void saveAsDockerArchive(Path rootfs, Path archive) throws IOException, InterruptedException {
        Path layer = archive.resolveSibling("layer.tar");
        Process tar = new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf", layer.toString(), ".").inheritIO().start();
        if (tar.waitFor() != 0) {
            throw new IOException("tar failed");
        }
        Path dir = Files.createDirectories(archive.resolveSibling("save"));
        Files.createDirectories(dir.resolve("layer"));
        Files.move(layer, dir.resolve("layer/layer.tar"));
        Files.writeString(dir.resolve("config.json"), "{\"config\":{\"Volumes\":{\"/golem/output\":{}}}}");
        Files.writeString(dir.resolve("manifest.json"), "[{\"Config\":\"config.json\",\"Layers\":[\"layer/layer.tar\"]}]");
        Process pack = new ProcessBuilder("tar", "-C", dir.toString(), "-cf", archive.toString(), ".").inheritIO().start();
        if (pack.waitFor() != 0) {
            throw new IOException("tar failed");
        }
        StagedRootfs.deleteTree(dir);
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : heapPools()) {
            pool.resetPeakUsage();
        }
    }

    /** Sum of the heap pools' peaks: an upper bound of the heap in use at any one time. */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : heapPools()) {
            sum += pool.getPeakUsage().getUsed();
        }
        return sum;
    }

    private static List<MemoryPoolMXBean> heapPools() {
        List<MemoryPoolMXBean> pools = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pools.add(pool);
            }
        }
        return pools;
    }

    private static long directorySize(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }
}
