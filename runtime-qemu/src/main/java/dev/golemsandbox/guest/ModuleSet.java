package dev.golemsandbox.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The kernel modules the guest loads, picked from a kernel's module tree with everything they
 * depend on, in an order where each module comes after its dependencies. Modules built into the
 * kernel (listed in {@code modules.builtin}) are left out.
 */
public final class ModuleSet {

    /**
     * What the agent needs: virtio-mmio devices, the image disk, the overlay root, 9p volumes, its
     * port, the VPN's NIC, and the balloon that hands memory the guest freed back to the host.
     */
    public static final List<String> GUEST_MODULES = List.of(
            "virtio", "virtio_ring", "virtio_mmio", "virtio_blk", "virtio_console",
            "squashfs", "overlay", "netfs", "fscache", "9pnet", "9pnet_virtio", "9p", "virtio_net", "virtio_balloon");

    private ModuleSet() {
    }

    /**
     * The modules named (and their dependencies) found under {@code tree}, dependencies first.
     *
     * @throws IOException naming the first module that is neither in the tree nor built in
     */
    public static List<KernelModule> resolve(Path tree, List<String> names) throws IOException {
        Map<String, Path> files = new HashMap<>();
        Set<String> builtin = new HashSet<>();
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path file : (Iterable<Path>) walk::iterator) {
                String name = KernelModule.nameOf(file);
                if (name != null && Files.isRegularFile(file)) {
                    files.putIfAbsent(name, file);
                } else if (file.getFileName().toString().equals("modules.builtin")) {
                    for (String line : Files.readAllLines(file)) {
                        Path builtinFile = Path.of(line.trim());
                        String builtinName = line.isBlank() ? null : KernelModule.nameOf(builtinFile);
                        if (builtinName != null) {
                            builtin.add(builtinName);
                        }
                    }
                }
            }
        }
        Map<String, KernelModule> ordered = new LinkedHashMap<>();
        for (String name : names) {
            add(name.replace('-', '_'), files, builtin, ordered, new ArrayList<>());
        }
        return List.copyOf(ordered.values());
    }

    private static void add(String name, Map<String, Path> files, Set<String> builtin,
                            Map<String, KernelModule> ordered, List<String> path) throws IOException {
        if (ordered.containsKey(name) || builtin.contains(name)) {
            return;
        }
        if (path.contains(name)) {
            throw new IOException("kernel modules depend on each other in a cycle: " + path + " -> " + name);
        }
        Path file = files.get(name);
        if (file == null) {
            throw new IOException("kernel module " + name + " is neither in " + files.size()
                    + " module files found nor built into the kernel");
        }
        KernelModule module = new KernelModule(name, file);
        path.add(name);
        for (String dependency : module.dependencies()) {
            add(dependency, files, builtin, ordered, path);
        }
        path.remove(path.size() - 1);
        ordered.put(name, module);
    }
}
