package dev.golemsandbox.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.golemsandbox.exeunit.ExeUnit;
import dev.golemsandbox.exeunit.OutputListener;
import dev.golemsandbox.exeunit.ProcessResult;
import dev.golemsandbox.exeunit.QemuVmRuntime;
import dev.golemsandbox.exeunit.Resources;
import dev.golemsandbox.exeunit.RunSpec;
import dev.golemsandbox.image.ProgressListener;
import dev.golemsandbox.testing.TestRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node and python stand-ins hold what their tags promise: built from Debian packages (real
 * apt downloads) into the shared test cache once, they boot in a real VM where golem-js's way of
 * running a command ({@code /bin/sh -c ...}) finds node and python3. A build from the same
 * packages gives the same image hash.
 */
class DebianStandInTest {

    @TempDir
    static Path temp;

    static QemuVmRuntime runtime;
    static ImageStore shared;

    @BeforeAll
    static void start() throws Exception {
        shared = ImageStore.open(TestRuntime.sharedCache());
        runtime = TestRuntime.create();
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static String shell(StoredImage image, String line, Path dir) throws Exception {
        ExeUnit unit = runtime.newExeUnit(image.file(), new Resources(1, 512, 1024), dir);
        try {
            unit.deploy();
            unit.start();
            ProcessResult result = unit.run(RunSpec.shell(line), OutputListener.NONE).result().get(300, TimeUnit.SECONDS);
            assertThat(result.exitCode()).as(new String(result.stderr(), StandardCharsets.UTF_8)).isZero();
            return new String(result.stdout(), StandardCharsets.UTF_8);
        } finally {
            unit.close();
        }
    }

    @Test
    void theNodeStandInRunsNode() throws Exception {
        ImageResolution node = shared.resolve("golem/node:20-alpine");

        assertThat(node.standIn()).hasValueSatisfying(s -> assertThat(s.holds()).contains("Node.js 18 on Debian 12"));
        assertThat(node.image().tags()).contains(DebianStandIn.NODE.tag());
        assertThat(shared.resolve("golem/node:latest").image().sha3()).isEqualTo(node.image().sha3());
        assertThat(shell(node.image(), "node -e 'console.log(6 * 7, typeof process.versions.v8)'", temp.resolve("node")))
                .isEqualTo("42 string\n");
    }

    @Test
    void theDocsNodeImageHashResolvesToTheNodeStandIn() throws Exception {
        ImageResolution byHash = shared.resolve(StandIns.DOCS_NODE_IMAGE_HASH);

        assertThat(byHash.standIn()).hasValueSatisfying(s -> assertThat(s.isForHash()).isTrue());
        assertThat(byHash.image().sha3()).isEqualTo(shared.resolve("golem/node:latest").image().sha3());
    }

    @Test
    void thePythonStandInRunsPython3() throws Exception {
        ImageResolution python = shared.resolve("golem/python:latest");

        assertThat(python.standIn()).hasValueSatisfying(s -> assertThat(s.holds()).contains("Python 3"));
        assertThat(shell(python.image(), "python3 -c 'import sys, json; print(json.dumps([sys.version_info[0], 6 * 7]))'",
                temp.resolve("python"))).isEqualTo("[3, 42]\n");
    }

    @Test
    void aSecondBuildFromTheSamePackagesGivesTheSameImage() throws Exception {
        StoredImage cached = shared.resolve("golem/python:latest").image();
        StoredImage again = DebianStandIn.PYTHON.ensure(new ImageStore(temp.resolve("again"), StandIns.builtIns()), ProgressListener.NONE);

        assertThat(again.sha3()).isEqualTo(cached.sha3());
        assertThat(again.origin()).isEqualTo("built from Debian packages");
        assertThat(again.open().config().labels().get(DebianStandIn.PACKAGES_LABEL)).contains("python3-minimal_");
    }
}
