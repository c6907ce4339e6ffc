package dev.golemsandbox.activity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.golemsandbox.activity.exescript.ExeCommand;
import dev.golemsandbox.activity.exescript.ParsedScript;
import dev.golemsandbox.activity.transfer.DeployImage;
import dev.golemsandbox.activity.transfer.ImageCache;
import dev.golemsandbox.activity.transfer.TaskPackage;
import dev.golemsandbox.activity.transfer.TransferFailedException;
import dev.golemsandbox.activity.transfer.TransferRunner;
import dev.golemsandbox.blob.BlobStore;
import dev.golemsandbox.exeunit.Deployment;
import dev.golemsandbox.exeunit.ExeUnit;
import dev.golemsandbox.exeunit.ExeUnitException;
import dev.golemsandbox.exeunit.ProcessResult;
import dev.golemsandbox.exeunit.RunSpec;
import dev.golemsandbox.exeunit.RunningProcess;
import dev.golemsandbox.exeunit.Volume;
import dev.golemsandbox.gvmi.Sha3;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one command of a batch on an activity the way a provider's exe-unit does: deploy fetches
 * and verifies the image, then deploys it; start boots; run starts a process and waits for it
 * (a non-zero exit code is an Error); transfer copies files; terminate stops the activity's
 * other batches.
 */
final class CommandRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);

    private final ImageCache images;
    private final TransferRunner transfers;
    private volatile VpnJoiner vpn = VpnJoiner.NONE;
    private volatile OutboundAccess outbound = OutboundAccess.NONE;
    private volatile Function<String, Optional<BlobStore>> uploadsOf = activityId -> Optional.empty();

    CommandRunner(ImageCache images, TransferRunner transfers) {
        this.images = images;
        this.transfers = transfers;
    }

    void joinNetworksWith(VpnJoiner joiner) {
        this.vpn = joiner;
    }

    void reachOutWith(OutboundAccess access) {
        this.outbound = access;
    }

    /** Where a recorded activity's uploads are kept, by activity id (empty for one not recorded). */
    void keepUploads(Function<String, Optional<BlobStore>> where) {
        this.uploadsOf = where;
    }

    void run(ProviderActivity activity, Batch batch, int index, BatchExecution execution)
            throws CommandFailedException, InterruptedException {
        ExeCommand command = batch.script().command(index);
        if (command instanceof ExeCommand.Terminate) {
            activity.stopBatchesOtherThan(execution, "stopped by a terminate command in batch " + batch.id());
            return;
        }
        activity.begin(command);
        try {
            if (command instanceof ExeCommand.Deploy deploy) {
                deploy(activity, deploy, batch, index);
            } else if (command instanceof ExeCommand.Start) {
                start(activity);
            } else if (command instanceof ExeCommand.Run run) {
                run(activity, run, batch, index, execution);
            } else if (command instanceof ExeCommand.Transfer transfer) {
                transfer(activity, transfer, batch, index, execution);
            } else {
                throw new IllegalStateException("no runner for " + command.name());
            }
        } finally {
            activity.end();
        }
    }

    private void transfer(ProviderActivity activity, ExeCommand.Transfer transfer, Batch batch, int index,
                          BatchExecution execution) throws CommandFailedException, InterruptedException {
        try {
            transfers.transfer(activity.exeUnit(), activity.scratchDir(), transfer, uploadsOf.apply(activity.id()),
                            execution.transferFaults())
                    .ifPresent(file -> batch.transferred(index, file));
        } catch (TransferFailedException e) {
            throw new CommandFailedException(e.getMessage());
        }
    }

    private void deploy(ProviderActivity activity, ExeCommand.Deploy deploy, Batch batch, int index)
            throws CommandFailedException, InterruptedException {
        if (deploy.networks().size() > 1) {
            throw new CommandFailedException("deploy asks to join " + deploy.networks().size()
                    + " networks; a VM joins one VPN here, as golem-js asks");
        }
        String property = activity.agreement().taskPackage().orElseThrow(() -> new CommandFailedException(
                "the agreement's demand has no golem.srv.comp.task_package, so there is no image to deploy"));
        TaskPackage taskPackage;
        try {
            taskPackage = TaskPackage.parse(property);
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(e.getMessage());
        }
        DeployImage image;
        try {
            image = images.fetch(taskPackage);
        } catch (IOException e) {
            throw new CommandFailedException("deploy failed: " + e.getMessage());
        }
        image.note().ifPresent(note -> LOG.info("Activity {}: {}", activity.id(), note));
        ExeUnit unit = activity.newExeUnit(image.file());
        Deployment deployment;
        try {
            deployment = unit.deploy();
            requireImageVolumes(deploy.volumes(), deployment.volumes());
            for (ExeCommand.Deploy.Network network : deploy.networks()) {
                VpnJoiner.Membership membership = join(network, activity.agreement().providerId(), deploy.hosts());
                activity.linked(membership);
                unit.joinNetwork(membership.vpnInterface());
            }
            Optional<OutboundGrant> grant = activity.agreement().outbound();
            if (grant.isPresent()) {
                OutboundAccess.Link link = openOutbound(grant.get(), activity.id());
                activity.linked(link);
                unit.connectOutbound(link.inetInterface());
            }
        } catch (ExeUnitException | CommandFailedException e) {
            activity.discardExeUnit(unit);
            throw new CommandFailedException("deploy failed: " + e.getMessage());
        }
        activity.deployed(deployment.volumes());
        batch.write(index, true, deployReport(deployment, image.note().orElse("")).toString().getBytes(StandardCharsets.UTF_8));
    }

    private VpnJoiner.Membership join(ExeCommand.Deploy.Network network, String providerId, Map<String, String> hosts)
            throws CommandFailedException {
        try {
            return vpn.join(network, providerId, hosts);
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(e.getMessage());
        }
    }

    private OutboundAccess.Link openOutbound(OutboundGrant grant, String activityId) throws CommandFailedException {
        try {
            return outbound.open(grant, activityId);
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(e.getMessage());
        }
    }

    private static void requireImageVolumes(List<String> requested, List<Volume> volumes)
            throws CommandFailedException {
        for (String path : requested) {
            boolean declared = volumes.stream().anyMatch(v -> v.containerPath().equals(path));
            if (!declared) {
                throw new CommandFailedException("deploy asks for volume " + path + ", which is not a VOLUME of the"
                        + " image; the sandbox mounts the image's volumes only (add VOLUME " + path
                        + " to the Dockerfile)");
            }
        }
    }

    /**
     * What a provider's runtime prints on deploy: the image is valid (with a note when a stand-in
     * was deployed), its volumes, and how it starts.
     */
    private static ObjectNode deployReport(Deployment deployment, String note) {
        ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.putObject("valid").put("Ok", note);
        ArrayNode vols = report.putArray("vols");
        for (Volume volume : deployment.volumes()) {
            byte[] pathHash = Sha3.digest("SHA3-256").digest(volume.containerPath().getBytes(StandardCharsets.UTF_8));
            String name = "vol-" + HexFormat.of().formatHex(pathHash, 0, 4);
            vols.addObject().put("name", name).put("path", volume.containerPath());
        }
        report.put("startMode", "blocking");
        return report;
    }

    private static void start(ProviderActivity activity) throws CommandFailedException {
        try {
            activity.exeUnit().start();
        } catch (ExeUnitException e) {
            throw new CommandFailedException("start failed: " + e.getMessage());
        }
    }

    private static void run(ProviderActivity activity, ExeCommand.Run run, Batch batch, int index, BatchExecution execution)
            throws CommandFailedException, InterruptedException {
        RunSpec spec = new RunSpec(run.entryPoint(), run.args(), run.env());
        RunningProcess process;
        try {
            process = activity.exeUnit().run(spec, batch.output(index));
        } catch (ExeUnitException e) {
            throw new CommandFailedException(e.getMessage());
        }
        execution.running(process);
        ProcessResult result;
        try {
            result = process.result().get();
        } catch (ExecutionException e) {
            throw new CommandFailedException(e.getCause().getMessage());
        } finally {
            execution.running(null);
        }
        if (!result.succeeded()) {
            throw new CommandFailedException(result.exitCode(),
                    "ExeScript command exited with code " + result.exitCode());
        }
    }
}
