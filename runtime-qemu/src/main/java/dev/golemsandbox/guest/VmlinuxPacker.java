package dev.golemsandbox.guest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rewrites a vmlinux so that its file holds only the pages its {@code PT_LOAD} segments put in
 * guest memory that are not all zeros, each run of such pages as a segment of its own; section
 * headers and sections nothing loads are dropped, {@code PT_NOTE}s (the PVH entry) are kept.
 *
 * <pre>{@code
 * VmlinuxPacker.pack(extractedVmlinux, cachedVmlinux);
 * }</pre>
 *
 * QEMU copies every segment into guest RAM at boot, zero-filling up to the memory size, and keeps
 * the file mapped for the life of the VM. A fresh guest's RAM is already zero, so zero pages need
 * neither the file nor the copy: Debian's 63 MiB vmlinux (.bss, .brk, the SME scratch area and
 * alignment padding are zeros) loads as 30 MiB. The packed kernel is only right for RAM that
 * nothing has written yet, which holds because QEMU runs with {@code -no-reboot}: a guest reset
 * ends the VM instead of reloading the kernel over used memory.
 */
public final class VmlinuxPacker {

    private static final int PAGE = 4096;
    private static final int ELF_HEADER_SIZE = 64;
    private static final int PROGRAM_HEADER_SIZE = 56;
    private static final int PT_LOAD = 1;
    private static final int PT_NOTE = 4;
    private static final byte[] ZERO_PAGE = new byte[PAGE];

    private VmlinuxPacker() {
    }

    /** One program header; offsets index the file it was read from or is written to. */
    private record Segment(int type, int flags, long offset, long vaddr, long paddr, long fileSize, long memSize, long align) {
    }

    /** Writes the packed form of {@code vmlinux} to {@code packed}. */
    public static void pack(Path vmlinux, Path packed) throws IOException {
        byte[] elf = Files.readAllBytes(vmlinux);
        ByteBuffer in = header(elf, vmlinux);
        List<Segment> loads = new ArrayList<>();
        List<Segment> notes = new ArrayList<>();
        for (Segment segment : programHeaders(in, elf.length, vmlinux)) {
            if (segment.type() == PT_LOAD) {
                loads.addAll(nonZeroRuns(elf, segment));
            } else if (segment.type() == PT_NOTE) {
                notes.add(segment);
            }
        }
        int count = loads.size() + notes.size();
        if (count >= 0xffff) {
            throw new IOException(vmlinux + " would need " + count + " program headers once packed; ELF allows 65534");
        }
        long offset = align(ELF_HEADER_SIZE + (long) count * PROGRAM_HEADER_SIZE, PAGE);
        List<Segment> placed = new ArrayList<>();
        for (Segment load : loads) {
            // Keep offset and address congruent modulo the page size, as ELF loaders expect.
            offset += Math.floorMod(load.vaddr() - offset, (long) PAGE);
            placed.add(new Segment(PT_LOAD, load.flags(), offset, load.vaddr(), load.paddr(), load.fileSize(), load.fileSize(), PAGE));
            offset += load.fileSize();
        }
        for (Segment note : notes) {
            offset = align(offset, Math.max(4, note.align()));
            placed.add(new Segment(PT_NOTE, note.flags(), offset, note.vaddr(), note.paddr(), note.fileSize(), note.memSize(), note.align()));
            offset += note.fileSize();
        }

        ByteBuffer head = ByteBuffer.allocate(ELF_HEADER_SIZE + count * PROGRAM_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        head.put(elf, 0, ELF_HEADER_SIZE);
        head.putLong(0x20, ELF_HEADER_SIZE);
        head.putLong(0x28, 0);
        head.putShort(0x36, (short) PROGRAM_HEADER_SIZE);
        head.putShort(0x38, (short) count);
        head.putShort(0x3c, (short) 0);
        head.putShort(0x3e, (short) 0);
        head.position(ELF_HEADER_SIZE);
        for (Segment segment : placed) {
            head.putInt(segment.type()).putInt(segment.flags()).putLong(segment.offset()).putLong(segment.vaddr())
                    .putLong(segment.paddr()).putLong(segment.fileSize()).putLong(segment.memSize()).putLong(segment.align());
        }

        List<Segment> sources = new ArrayList<>(loads);
        sources.addAll(notes);
        try (OutputStream out = Files.newOutputStream(packed)) {
            out.write(head.array());
            long written = head.capacity();
            for (int i = 0; i < placed.size(); i++) {
                out.write(new byte[(int) (placed.get(i).offset() - written)]);
                out.write(elf, (int) sources.get(i).offset(), (int) sources.get(i).fileSize());
                written = placed.get(i).offset() + placed.get(i).fileSize();
            }
        }
    }

    /** Whether {@code vmlinux} is already packed: a packed kernel has no section headers, an extracted one always has. */
    public static boolean isPacked(Path vmlinux) throws IOException {
        byte[] start;
        try (var in = Files.newInputStream(vmlinux)) {
            start = in.readNBytes(ELF_HEADER_SIZE);
        }
        ByteBuffer header = header(start, vmlinux);
        return header.getLong(0x28) == 0 && header.getShort(0x3c) == 0;
    }

    private static ByteBuffer header(byte[] elf, Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.length < ELF_HEADER_SIZE || in.getInt(0) != 0x464c457f || elf[4] != 2 || elf[5] != 1) {
            throw new IOException(file + " is not a 64-bit little-endian ELF kernel (vmlinux)");
        }
        return in;
    }

    private static List<Segment> programHeaders(ByteBuffer in, int length, Path file) throws IOException {
        long table = in.getLong(0x20);
        int entrySize = Short.toUnsignedInt(in.getShort(0x36));
        int count = Short.toUnsignedInt(in.getShort(0x38));
        if (entrySize != PROGRAM_HEADER_SIZE || table < ELF_HEADER_SIZE || table + (long) count * entrySize > length) {
            throw new IOException(file + " has no readable program header table");
        }
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int at = (int) (table + (long) i * entrySize);
            Segment segment = new Segment(in.getInt(at), in.getInt(at + 4), in.getLong(at + 8), in.getLong(at + 16),
                    in.getLong(at + 24), in.getLong(at + 32), in.getLong(at + 40), in.getLong(at + 48));
            if (segment.fileSize() < 0 || segment.offset() < 0 || segment.offset() + segment.fileSize() > length) {
                throw new IOException(file + ": segment " + i + " lies beyond the end of the file");
            }
            segments.add(segment);
        }
        return segments;
    }

    /**
     * The parts of a loaded segment that are not whole zero pages of guest memory, as segments
     * that still point into the source file. Pages are cut at the segment's physical addresses,
     * where QEMU loads it.
     */
    private static List<Segment> nonZeroRuns(byte[] elf, Segment load) {
        List<Segment> runs = new ArrayList<>();
        long end = load.paddr() + load.fileSize();
        long runStart = -1;
        for (long page = load.paddr(); page < end; page = align(page + 1, PAGE)) {
            long pageEnd = Math.min(align(page + 1, PAGE), end);
            int from = (int) (load.offset() + page - load.paddr());
            int length = (int) (pageEnd - page);
            boolean zero = Arrays.mismatch(elf, from, from + length, ZERO_PAGE, 0, length) < 0;
            if (!zero && runStart < 0) {
                runStart = page;
            } else if (zero && runStart >= 0) {
                runs.add(slice(load, runStart, page));
                runStart = -1;
            }
        }
        if (runStart >= 0) {
            runs.add(slice(load, runStart, end));
        }
        return runs;
    }

    private static Segment slice(Segment load, long from, long to) {
        long skip = from - load.paddr();
        return new Segment(PT_LOAD, load.flags(), load.offset() + skip, load.vaddr() + skip, from, to - from, to - from, PAGE);
    }

    private static long align(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
