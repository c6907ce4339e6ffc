package dev.golemsandbox.cli;

import dev.golemsandbox.exeunit.QemuVmRuntime;
import dev.golemsandbox.exeunit.RuntimeSettings;
import dev.golemsandbox.home.SandboxHome;
import dev.golemsandbox.image.ProgressListener;
import dev.golemsandbox.store.ImageResolution;
import dev.golemsandbox.store.ImageStore;
import dev.golemsandbox.store.StandIn;
import dev.golemsandbox.store.StoredImage;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code golem-sandbox prepare}: fetches and builds what {@code up} would otherwise prepare on its
 * first start (guest kernel and initramfs, the accelerator verdict, the default image, and with
 * {@code --stand-ins} the stand-in images), e.g. while building a container image that must later
 * start offline.
 */
@Command(name = "prepare", mixinStandardHelpOptions = true, description = "Fetch the guest kernel, build the initramfs and the default image, probe the accelerator; then exit.")
final class PrepareCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--stand-ins", description = "Also build the stand-in images (node and python from Debian packages, about a minute each), so that a sandbox without a Debian mirror has them.")
    boolean standIns;

    @Override
    public Integer call() throws Exception {
        SandboxHome home = common.home();
        QemuVmRuntime runtime = new QemuVmRuntime(RuntimeSettings.of(home).withProgress(line -> System.err.println("  " + line)));
        runtime.prepare();
        System.out.println("guest assets: " + runtime.assets().kernel().getParent());
        System.out.println("accelerator:  " + runtime.accelerator().accelerator().qemuName() + " (" + runtime.accelerator().reason() + ")");
        StoredImage image = ImageStore.open(home).defaultImage(new ProgressListener() {
            @Override
            public void step(String description) {
                System.err.println("  " + description);
            }

            @Override
            public void progress(String step, long done, long total) {
            }
        });
        System.out.println("default image: " + ImageStore.DEFAULT_IMAGE_TAG + " " + image.sha3());
        if (standIns) {
            ImageStore store = ImageStore.open(home);
            Set<String> built = new HashSet<>();
            for (StandIn standIn : store.standIns().all().values()) {
                if (built.add(standIn.target())) {
                    ImageResolution resolution = store.resolve(standIn.publicTag(), ConsoleProgress.on(new PrintWriter(System.err, true)));
                    System.out.println("stand-in:     " + standIn.target() + " " + resolution.image().sha3());
                }
            }
        }
        return 0;
    }
}
