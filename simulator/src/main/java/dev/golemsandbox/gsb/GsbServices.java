package dev.golemsandbox.gsb;

import dev.golemsandbox.http.ApiException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The GSB services requestors have bound, by id and by address. golem-js binds one per file it
 * publishes or receives ({@code /public/gftp/<uuid>}) and unbinds it when the transfer's result
 * arrives. Thread-safe.
 *
 * <pre>{@code
 * GsbServices services = new GsbServices();
 * GsbService service = services.bind("/public/gftp/1234", List.of("GetMetadata", "GetChunk"));
 * }</pre>
 */
public final class GsbServices {

    private static final SecureRandom IDS = new SecureRandom();

    private final Map<String, GsbService> byId = new ConcurrentHashMap<>();
    private final Map<String, GsbService> byAddress = new ConcurrentHashMap<>();

    /**
     * Binds a new service.
     *
     * @throws ApiException.Conflict if another service is bound at {@code address}
     */
    public synchronized GsbService bind(String address, List<String> components) {
        if (byAddress.containsKey(address)) {
            throw new ApiException.Conflict("a GSB service is already bound at " + address + " (id "
                    + byAddress.get(address).id() + "); unbind it first");
        }
        byte[] random = new byte[16];
        IDS.nextBytes(random);
        GsbService service = new GsbService(HexFormat.of().formatHex(random), address, components);
        byId.put(service.id(), service);
        byAddress.put(address, service);
        return service;
    }

    /**
     * Unbinds a service: its WebSocket is closed and transfers waiting on it fail.
     *
     * @throws ApiException.NotFound for an unknown id
     */
    public void unbind(String id) {
        GsbService service;
        synchronized (this) {
            service = byId.remove(id);
            if (service == null) {
                throw new ApiException.NotFound("GSB service " + id + " not found");
            }
            byAddress.remove(service.address(), service);
        }
        service.unbind("the requestor unbound the GSB service " + service.address());
    }

    public Optional<GsbService> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Optional<GsbService> byAddress(String address) {
        return Optional.ofNullable(byAddress.get(address));
    }
}
