package dev.golemsandbox.image;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of a saved image, whether it is a directory or a tar file: a {@code docker save}
 * archive or an OCI image layout. Paths are relative, slash-separated, without {@code ./}.
 */
interface ImageArchive extends Closeable {

    /**
     * Opens a directory or an uncompressed tar file.
     *
     * @throws ImageConversionException when {@code path} is neither
     */
    static ImageArchive open(Path path) throws ImageConversionException, IOException {
        if (Files.isDirectory(path)) {
            return new DirectoryImageArchive(path);
        }
        return TarImageArchive.open(path);
    }

    boolean contains(String path);

    /** Size in bytes of the file at {@code path}. */
    long size(String path) throws ImageConversionException, IOException;

    /**
     * The content of the file at {@code path}.
     *
     * @throws ImageConversionException when there is no such file
     */
    InputStream open(String path) throws ImageConversionException, IOException;

    /** The archive's location, for messages. */
    Path location();

    /** "file 'x' is missing from <archive>" as an exception. */
    default ImageConversionException missing(String path) {
        return new ImageConversionException(location() + ": the image refers to '" + path + "', which the archive does not contain");
    }
}
