package dev.golemsandbox.store;

import java.nio.file.Path;

/**
 * A second process writing tags into a store, for the test that two writers never lose each
 * other's tags. Arguments: store directory, image hash, tag prefix, number of tags.
 */
public final class TagWriterProcess {

    private TagWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        ImageStore store = new ImageStore(Path.of(args[0]), StandIns.builtIns());
        int count = Integer.parseInt(args[3]);
        for (int i = 0; i < count; i++) {
            store.tag(args[2] + "/image:" + i, args[1]);
        }
    }
}
