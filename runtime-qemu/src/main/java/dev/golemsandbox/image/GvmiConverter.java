package dev.golemsandbox.image;

import dev.golemsandbox.gvmi.ContainerConfig;
import dev.golemsandbox.gvmi.GvmiFormatException;
import dev.golemsandbox.gvmi.GvmiImage;
import dev.golemsandbox.gvmi.GvmiTrailer;
import dev.golemsandbox.gvmi.Sha3;
import dev.golemsandbox.home.AtomicFile;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns an image into a GVMI file a provider accepts: a squashfs written by {@code mksquashfs},
 * then the metadata trailer, byte for byte as gvmkit-build lays it out.
 *
 * <p>Sources: a root filesystem directory (packed in place, no copy), a {@code docker save}
 * archive or OCI image layout (directory or tar; layers applied in order with whiteouts, owners
 * kept without needing root), or an image in a Docker engine. The output appears atomically;
 * temp files go to the work directory (default: the output's directory) and are always deleted.
 *
 * <pre>{@code
 * GvmiConverter converter = new GvmiConverter(Compression.LZO, progress);
 * ConversionResult r = converter.convertArchive(Path.of("app.tar"), ConfigOverrides.none(), Path.of("app.gvmi"));
 * r.sha3();      // the image hash
 * r.warnings();  // lints to show
 * }</pre>
 */
public final class GvmiConverter {

    /** The single time stamped on every file of reproducible images (the default image). */
    static final long REPRODUCIBLE_TIME = 0;

    private final Compression compression;
    private final ProgressListener progress;
    private final Path workDirectory;
    private final ExtractionLimits limits;

    public GvmiConverter(Compression compression, ProgressListener progress) {
        this(compression, progress, null, ExtractionLimits.DEFAULTS);
    }

    private GvmiConverter(Compression compression, ProgressListener progress, Path workDirectory, ExtractionLimits limits) {
        this.compression = compression;
        this.progress = progress;
        this.workDirectory = workDirectory;
        this.limits = limits;
    }

    /** Stages layers under {@code dir} instead of the output file's directory. */
    public GvmiConverter withWorkDirectory(Path dir) {
        return new GvmiConverter(compression, progress, dir, limits);
    }

    /** Refuses saved images and Docker images that unpack to more than {@code limits} allow. */
    public GvmiConverter withLimits(ExtractionLimits limits) {
        return new GvmiConverter(compression, progress, workDirectory, limits);
    }

    /**
     * Packs a root filesystem directory as it is on disk (modes and owners as the files have
     * them), with {@code config} as the image's metadata.
     */
    public ConversionResult convertRootfs(Path rootfs, ContainerConfig config, Path output)
            throws ImageConversionException, IOException {
        if (!Files.isDirectory(rootfs)) {
            throw new ImageConversionException(rootfs + " is not a directory");
        }
        Path absoluteOutput = output.toAbsolutePath().normalize();
        if (absoluteOutput.startsWith(rootfs.toAbsolutePath().normalize())) {
            throw new ImageConversionException("the output " + output + " must not be inside the root filesystem " + rootfs
                    + " it is made from");
        }
        List<String> warnings = new ArrayList<>(ImageLint.check(config, volume -> hasFilesUnder(rootfs, volume)));
        return pack(rootfs, new Mksquashfs(compression), config, output, warnings);
    }

    /**
     * Converts a {@code docker save} archive or an OCI image layout (directory or tar), with
     * {@code overrides} applied to the image's own config.
     */
    public ConversionResult convertArchive(Path archive, ConfigOverrides overrides, Path output)
            throws ImageConversionException, IOException {
        if (!Files.exists(archive)) {
            throw new ImageConversionException("no such file or directory: " + archive);
        }
        try (ImageArchive files = ImageArchive.open(archive)) {
            ImageLayout layout = ImageLayout.read(files);
            ContainerConfig config = overrides.applyTo(layout.config());
            try (StagedRootfs rootfs = StagedRootfs.createIn(workDirectoryFor(output), limits)) {
                int count = layout.layers().size();
                for (int i = 0; i < count; i++) {
                    String layerPath = layout.layers().get(i);
                    String name = "layer " + (i + 1) + "/" + count + " (" + layerPath + ")";
                    try (InputStream raw = files.open(layerPath)) {
                        applyLayer(rootfs, name, raw, files.size(layerPath));
                    }
                }
                return packStaged(rootfs, new Mksquashfs(compression), config, output);
            }
        }
    }

    /**
     * Converts an image of a Docker engine, by name or id: its filesystem as a container sees it
     * (exported from a created container) and its config.
     */
    public ConversionResult convertDockerImage(DockerEngine engine, String image, ConfigOverrides overrides, Path output)
            throws ImageConversionException, IOException {
        ContainerConfig config = overrides.applyTo(engine.imageConfig(image));
        try (StagedRootfs rootfs = StagedRootfs.createIn(workDirectoryFor(output), limits)) {
            engine.exportFilesystem(image, tar -> applyLayer(rootfs, "filesystem of " + image, tar, 0));
            return packStaged(rootfs, new Mksquashfs(compression), config, output);
        }
    }

    /**
     * Builds the default image from a busybox root filesystem recipe. The result is reproducible:
     * the same busybox gives the same bytes, hence the same hash, on every machine.
     */
    public ConversionResult convertBusyboxImage(BusyboxRootfs recipe, Path output) throws ImageConversionException, IOException {
        try (StagedRootfs rootfs = StagedRootfs.createIn(workDirectoryFor(output), limits)) {
            progress.step("assembling the busybox root filesystem");
            rootfs.beginLayer("busybox root filesystem");
            recipe.stageInto(rootfs);
            return packStaged(rootfs, new Mksquashfs(compression).withFixedTime(REPRODUCIBLE_TIME), recipe.config(), output);
        }
    }

    /**
     * Packs a root filesystem of Debian packages; the same packages give the same bytes, hence
     * the same hash, on every machine.
     */
    public ConversionResult convertDebianRootfs(DebianRootfs recipe, Path output) throws ImageConversionException, IOException {
        try (StagedRootfs rootfs = StagedRootfs.createIn(workDirectoryFor(output), limits)) {
            recipe.stageInto(rootfs, progress);
            return packStaged(rootfs, new Mksquashfs(compression).withFixedTime(REPRODUCIBLE_TIME), recipe.config(), output);
        }
    }

    private void applyLayer(StagedRootfs rootfs, String name, InputStream raw, long compressedSize)
            throws ImageConversionException, IOException {
        String step = "extracting " + name;
        progress.step(step);
        CountingStream counted = new CountingStream(raw, bytes -> progress.progress(step, bytes, compressedSize));
        LayerReader.extract(rootfs, name, counted);
        progress.progress(step, counted.count(), Math.max(compressedSize, counted.count()));
    }

    private ConversionResult packStaged(StagedRootfs rootfs, Mksquashfs mksquashfs, ContainerConfig config, Path output)
            throws ImageConversionException, IOException {
        List<String> warnings = new ArrayList<>(ImageLint.check(config, rootfs::hasEntriesUnder));
        Mksquashfs configured = rootfs.configure(mksquashfs);
        warnings.addAll(rootfs.warnings());
        return pack(rootfs.directory(), configured, config, output, warnings);
    }

    private ConversionResult pack(Path source, Mksquashfs mksquashfs, ContainerConfig config, Path output, List<String> warnings)
            throws ImageConversionException, IOException {
        compression.publicNetworkWarning().ifPresent(warnings::add);
        Path temp = AtomicFile.tempBeside(output);
        try {
            mksquashfs.run(source, temp, progress);
            GvmiTrailer.appendTo(temp, config);
            long size = GvmiImage.open(temp).size();
            progress.step("computing SHA3-224");
            String sha3 = Sha3.hex224(temp);
            // Renamed into place but not fsynced, like mksquashfs's own output; the store syncs what it keeps.
            Files.move(temp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new ConversionResult(output, size, sha3, config, compression, warnings);
        } catch (GvmiFormatException e) {
            throw new ImageConversionException("mksquashfs wrote an image that does not read back: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private Path workDirectoryFor(Path output) {
        return workDirectory != null ? workDirectory : output.toAbsolutePath().getParent();
    }

    private static boolean hasFilesUnder(Path rootfs, String volume) {
        Path dir = rootfs.resolve(volume.replaceFirst("^/+", ""));
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** Counts the bytes read, reporting at most every 4 MiB so that progress stays cheap. */
    private static final class CountingStream extends FilterInputStream {

        private static final long REPORT_EVERY = 4L << 20;

        interface Reporter {
            void report(long bytes);
        }

        private final Reporter reporter;
        private long count;
        private long lastReport;

        CountingStream(InputStream in, Reporter reporter) {
            super(in);
            this.reporter = reporter;
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            add(skipped);
            return skipped;
        }

        private void add(long n) {
            count += n;
            if (count - lastReport >= REPORT_EVERY) {
                lastReport = count;
                reporter.report(count);
            }
        }
    }
}
