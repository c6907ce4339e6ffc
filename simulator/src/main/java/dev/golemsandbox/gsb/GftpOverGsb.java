package dev.golemsandbox.gsb;

import com.google.flatbuffers.FlexBuffers;
import dev.golemsandbox.activity.exescript.TransferUrl;
import dev.golemsandbox.activity.transfer.GftpClient;
import dev.golemsandbox.gvmi.Sha3;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * gftp over the GSB WebSocket services, as a provider's exe-unit speaks it to golem-js's
 * default storage. Fetching a file the requestor publishes: {@code GetMetadata} for its size,
 * then {@code GetChunk}s; sending one it receives: {@code UploadChunk}s in order, then
 * {@code UploadFinished} with the SHA3-256 of the content. Files stream in chunks with a few in
 * flight, so a file of any size needs only {@code chunkBytes * window} of memory.
 *
 * <pre>{@code
 * GftpClient gftp = new GftpOverGsb(gsbServices);
 * }</pre>
 */
public final class GftpOverGsb implements GftpClient {

    /** The largest file gftp moves: offsets must fit in 32 bits for golem-js (see {@link #requireSmallEnough}). */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE;

    /** Where golem-js binds the service behind {@code gftp://<node>/<id>}. */
    public static final String ADDRESS_PREFIX = "/public/gftp/";

    private final GsbServices services;
    private final Duration socketWait;
    private final Duration replyTimeout;
    private final int chunkBytes;
    private final int window;

    /** 1 MiB chunks, 4 in flight, 30 s for the socket to connect, 60 s for each reply. */
    public GftpOverGsb(GsbServices services) {
        this(services, Duration.ofSeconds(30), Duration.ofSeconds(60), 1 << 20, 4);
    }

    /**
     * @param socketWait   how long a transfer waits for the requestor to open the service's WebSocket
     * @param replyTimeout how long it waits for each reply
     * @param chunkBytes   bytes per chunk
     * @param window       chunks in flight at once
     */
    public GftpOverGsb(GsbServices services, Duration socketWait, Duration replyTimeout, int chunkBytes, int window) {
        this.services = services;
        this.socketWait = socketWait;
        this.replyTimeout = replyTimeout;
        this.chunkBytes = chunkBytes;
        this.window = window;
    }

    @Override
    public void fetch(TransferUrl url, FileChannel out, long maxBytes) throws IOException, InterruptedException {
        GsbService service = service(url, "GetMetadata", "GetChunk");
        GsbConnection socket = service.connection(socketWait);
        FlexBuffers.Reference fileSize = await(socket.call("GetMetadata", 0, payload -> { }), "GetMetadata", service)
                .field("fileSize");
        long size = fileSize.asLong();
        if (!fileSize.isNumeric() || size < 0) {
            throw new IOException("the requestor's " + service.address() + " answered GetMetadata without a file size"
                    + " (expected {fileSize: <bytes>}, got " + fileSize + ")");
        }
        requireSmallEnough(size, url);
        if (size > maxBytes) {
            throw new IOException(url.text() + ": no space left on device: the file has " + size
                    + " bytes and the activity's volumes have " + Math.max(0, maxBytes) + " left");
        }
        Deque<Chunk> inFlight = new ArrayDeque<>();
        long next = 0;
        while (next < size || !inFlight.isEmpty()) {
            while (next < size && inFlight.size() < window) {
                int length = (int) Math.min(chunkBytes, size - next);
                inFlight.add(requestChunk(socket, next, length));
                next += length;
            }
            Chunk chunk = inFlight.poll();
            byte[] content = content(await(chunk.reply(), "GetChunk", service), chunk, service);
            writeFully(out, content, chunk.offset());
            if (content.length < chunk.length()) {
                long rest = chunk.offset() + content.length;
                inFlight.addFirst(requestChunk(socket, rest, chunk.length() - content.length));
            }
        }
        out.force(true);
    }

    @Override
    public void send(FileChannel in, TransferUrl url) throws IOException, InterruptedException {
        send(in, url, true);
    }

    @Override
    public void sendUnfinished(FileChannel in, TransferUrl url) throws IOException, InterruptedException {
        send(in, url, false);
    }

    private void send(FileChannel in, TransferUrl url, boolean finish) throws IOException, InterruptedException {
        GsbService service = service(url, "UploadChunk", "UploadFinished");
        requireSmallEnough(in.size(), url);
        GsbConnection socket = service.connection(socketWait);
        MessageDigest sha3 = Sha3.digest("SHA3-256");
        Deque<CompletableFuture<GsbFrames.Reply>> inFlight = new ArrayDeque<>();
        long offset = 0;
        for (byte[] next = readChunk(in); next.length > 0; next = readChunk(in)) {
            byte[] content = next;
            sha3.update(content);
            long chunkOffset = offset;
            inFlight.add(socket.call("UploadChunk", content.length, payload -> {
                int chunk = payload.startMap();
                payload.putInt("offset", chunkOffset);
                payload.putBlob("content", content);
                payload.endMap("chunk", chunk);
            }));
            offset += content.length;
            if (inFlight.size() >= window) {
                await(inFlight.poll(), "UploadChunk", service);
            }
        }
        while (!inFlight.isEmpty()) {
            await(inFlight.poll(), "UploadChunk", service);
        }
        if (!finish) {
            return;
        }
        String hash = HexFormat.of().formatHex(sha3.digest());
        await(socket.call("UploadFinished", hash.length(), payload -> payload.putString("hash", hash)),
                "UploadFinished", service);
    }

    private GsbService service(TransferUrl url, String... needed) throws IOException {
        String address = ADDRESS_PREFIX + url.gftpId();
        GsbService service = services.byAddress(address).orElseThrow(() -> new IOException(
                "no requestor service is bound at " + address + " for " + url.text()
                        + " (bind it with POST /gsb-api/v1/services before the exec)"));
        List<String> missing = List.of(needed).stream().filter(c -> !service.components().contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new IOException("the requestor's " + address + " does not answer " + missing
                    + " (it was bound with " + service.components() + ")");
        }
        return service;
    }

    /**
     * Offsets past 2 GiB need 64-bit integers, which golem-js's FlexBuffers reader hands out as
     * BigInt and its gftp code cannot compute with: such a transfer would hang on the requestor's side.
     */
    private static void requireSmallEnough(long size, TransferUrl url) throws IOException {
        if (size > MAX_FILE_BYTES) {
            throw new IOException(url.text() + ": the file has " + size + " bytes, but gftp to golem-js carries at most "
                    + MAX_FILE_BYTES + " (2 GiB); split it, or use a loopback http:// transfer");
        }
    }

    private Chunk requestChunk(GsbConnection socket, long offset, int length) {
        return new Chunk(offset, length, socket.call("GetChunk", 0, payload -> {
            payload.putInt("offset", offset);
            payload.putInt("size", length);
        }));
    }

    private static byte[] content(GsbFrames.Reply reply, Chunk chunk, GsbService service) throws IOException {
        FlexBuffers.Reference content = reply.field("content");
        if (!content.isBlob()) {
            throw new IOException("the requestor's " + service.address() + " answered GetChunk at offset "
                    + chunk.offset() + " without a \"content\" blob");
        }
        byte[] bytes = content.asBlob().getBytes();
        if (bytes.length == 0) {
            throw new IOException("the requestor's " + service.address() + " sent no data at offset "
                    + chunk.offset() + " of a file it said was longer");
        }
        // The client may send more than asked for (golem-js slices to the file's end): keep what was asked.
        return bytes.length > chunk.length() ? Arrays.copyOf(bytes, chunk.length()) : bytes;
    }

    private GsbFrames.Reply await(CompletableFuture<GsbFrames.Reply> reply, String component, GsbService service)
            throws IOException, InterruptedException {
        try {
            return reply.get(replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reply.cancel(false);
            throw new IOException("the requestor's " + service.address() + " did not answer " + component
                    + " within " + replyTimeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            reply.cancel(false);
            throw e;
        }
    }

    /** The next chunk of the file: full size except at the end, empty once the file is read. */
    private byte[] readChunk(FileChannel in) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(chunkBytes);
        int read;
        do {
            read = in.read(buffer);
        } while (read > 0 && buffer.hasRemaining());
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    private static void writeFully(FileChannel out, byte[] content, long offset) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        long position = offset;
        while (buffer.hasRemaining()) {
            position += out.write(buffer, position);
        }
    }

    /** A {@code GetChunk} request in flight. */
    private record Chunk(long offset, int length, CompletableFuture<GsbFrames.Reply> reply) {
    }
}
