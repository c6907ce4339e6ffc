package dev.golemsandbox.image;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * squashfs compression of a GVMI image, passed to {@code mksquashfs -comp}. LZO is what
 * gvmkit-build writes by default and what every provider kernel mounts.
 */
public enum Compression {
    LZO, GZIP, LZ4, XZ, ZSTD;

    /** The name mksquashfs and the CLI use: "lzo", "gzip", ... */
    public String toolName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A warning to show when this compression makes an image the public network refuses, if any. */
    public Optional<String> publicNetworkWarning() {
        return this == ZSTD
                ? Optional.of("zstd-compressed images are rejected by providers on the public Golem network; use lzo (the default) for images you publish")
                : Optional.empty();
    }

    /**
     * The compression named by {@code name}, case-insensitive.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Compression parse(String name) {
        for (Compression c : values()) {
            if (c.toolName().equalsIgnoreCase(name.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression '" + name + "'; use one of "
                + Arrays.stream(values()).map(Compression::toolName).collect(Collectors.joining(", ")));
    }
}
