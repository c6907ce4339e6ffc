package dev.golemsandbox.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code golem-sandbox image ...}: make, inspect and manage GVMI images and the local registry. */
@Command(name = "image",
        description = "Make GVMI images (from a rootfs directory, docker save/OCI archives, Docker images, Dockerfiles) and manage the local registry.",
        mixinStandardHelpOptions = true,
        subcommands = {
                ImageConvertCommand.class,
                ImageBuildCommand.class,
                ImagePushCommand.class,
                ImageListCommand.class,
                ImageInspectCommand.class,
                ImageRemoveCommand.class,
        })
final class ImageCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
