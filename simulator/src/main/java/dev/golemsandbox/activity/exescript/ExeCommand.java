package dev.golemsandbox.activity.exescript;

import dev.golemsandbox.exeunit.ExeUnitTransition;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One validated ExeScript command. {@link ExeScriptParser} makes them from the JSON a requestor
 * sends; the activity runs them on the activity's exe-unit.
 */
public sealed interface ExeCommand {

    /** The command's name in ExeScript ("deploy", "run", ...). */
    String name();

    /**
     * The exe-unit transition the command takes: when it is legal and which state it leads to.
     * Empty for a command legal in any state that changes none ({@code terminate}).
     */
    Optional<ExeUnitTransition> transition();

    /**
     * {@code {"deploy":{...}}}: fetch the image, then deploy it. Legal only in state Initialized.
     *
     * @param volumes  paths the requestor asks to be volumes (the image's own volumes are always there)
     * @param networks the VPNs to join, as golem-js describes them
     * @param hosts    host names by address to add to the VM's {@code /etc/hosts} (deploy's {@code hosts} is name to address)
     */
    public record Deploy(List<String> volumes, List<Network> networks, Map<String, String> hosts) implements ExeCommand {
        public Deploy {
            volumes = List.copyOf(volumes);
            networks = List.copyOf(networks);
            hosts = Map.copyOf(hosts);
        }

        /** Deploy without networks. */
        public Deploy(List<String> volumes) {
            this(volumes, List.of(), Map.of());
        }

        /**
         * One entry of deploy's {@code net}: the network's id, address, mask and gateway (either may be null),
         * the VM's own address in it, and the nodes (address to node id) at the time of deploy.
         */
        public record Network(String id, String ip, String mask, String gateway, String nodeIp, Map<String, String> nodes) {
            public Network {
                nodes = Map.copyOf(nodes);
            }
        }

        @Override
        public String name() {
            return "deploy";
        }

        @Override
        public Optional<ExeUnitTransition> transition() {
            return Optional.of(ExeUnitTransition.DEPLOY);
        }
    }

    /** {@code {"start":{}}}: boot the VM. Legal only in state Deployed. */
    public record Start(List<String> args) implements ExeCommand {
        public Start {
            args = List.copyOf(args);
        }

        @Override
        public String name() {
            return "start";
        }

        @Override
        public Optional<ExeUnitTransition> transition() {
            return Optional.of(ExeUnitTransition.START);
        }
    }

    /** {@code {"run":{...}}}: a process in the VM. Legal only in state Ready. */
    public record Run(String entryPoint, List<String> args, Map<String, String> env, Capture stdout, Capture stderr)
            implements ExeCommand {
        public Run {
            args = List.copyOf(args);
            env = Map.copyOf(env);
        }

        @Override
        public String name() {
            return "run";
        }

        @Override
        public Optional<ExeUnitTransition> transition() {
            return Optional.of(ExeUnitTransition.WORK);
        }
    }

    /**
     * {@code {"transfer":{...}}}: copy a file between the VM's volumes, the requestor (gftp) and
     * loopback HTTP servers. Legal only in state Ready.
     *
     * @param format  archive format to pack into or unpack from (tar, tar.gz, zip, ...), if any
     * @param depth   how deep to descend into directories when packing, if limited
     * @param fileSet which files to pack, if not all
     */
    public record Transfer(String from, String to, Optional<String> format, Optional<Integer> depth, List<FileSet> fileSet)
            implements ExeCommand {
        public Transfer {
            fileSet = List.copyOf(fileSet);
        }

        @Override
        public String name() {
            return "transfer";
        }

        @Override
        public Optional<ExeUnitTransition> transition() {
            return Optional.of(ExeUnitTransition.WORK);
        }
    }

    /** A {@code fileset} entry of a transfer: glob patterns of files to include and exclude. */
    public record FileSet(List<String> includes, List<String> excludes) {
        public FileSet {
            includes = List.copyOf(includes);
            excludes = List.copyOf(excludes);
        }
    }

    /** {@code {"terminate":{}}}: stop the activity's other batches. Legal in any state. */
    public record Terminate() implements ExeCommand {
        @Override
        public String name() {
            return "terminate";
        }

        @Override
        public Optional<ExeUnitTransition> transition() {
            return Optional.empty();
        }
    }
}
