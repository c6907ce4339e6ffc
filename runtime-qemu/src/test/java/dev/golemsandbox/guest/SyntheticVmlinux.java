package dev.golemsandbox.guest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small ELF laid out like an extracted vmlinux (text with zero pages and a .bss tail, a
 * per-CPU segment linked at 0 and all zeros, a PVH note inside the text, section headers at the
 * end), and readers for what a loader makes of an ELF file.
 *
 * <pre>{@code
 * Path vmlinux = SyntheticVmlinux.write(dir.resolve("vmlinux"));
 * Map<Long, Byte> memory = SyntheticVmlinux.guestMemory(vmlinux);
 * }</pre>
 */
final class SyntheticVmlinux {

    static final long ENTRY = 0x1000000;
    static final byte[] NOTE = {4, 0, 0, 0, 4, 0, 0, 0, 18, 0, 0, 0, 'X', 'e', 'n', 0, 0x40, 0, 0, 1};

    private static final int PAGE = 4096;

    /** One program header as read back. */
    record Segment(int type, long offset, long paddr, long fileSize, long memSize) {
    }

    private SyntheticVmlinux() {
    }

    static Path write(Path file) throws IOException {
        int textOffset = PAGE;
        int textSize = 5 * PAGE + 100;
        int percpuOffset = textOffset + 6 * PAGE;
        int percpuSize = 2 * PAGE;
        int notesOffset = textOffset + 200;
        int sectionsOffset = percpuOffset + percpuSize;
        ByteBuffer elf = ByteBuffer.allocate(sectionsOffset + 2 * 64).order(ByteOrder.LITTLE_ENDIAN);
        elf.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        elf.putShort(0x10, (short) 2).putShort(0x12, (short) 0x3e).putInt(0x14, 1).putLong(0x18, ENTRY)
                .putLong(0x20, 64).putLong(0x28, sectionsOffset).putShort(0x34, (short) 64).putShort(0x36, (short) 56)
                .putShort(0x38, (short) 3).putShort(0x3a, (short) 64).putShort(0x3c, (short) 2).putShort(0x3e, (short) 1);
        programHeader(elf, 0, 1, 5, textOffset, 0xffffffff81000000L, ENTRY, textSize, textSize + 3 * PAGE);
        programHeader(elf, 1, 1, 6, percpuOffset, 0, 0x2000000, percpuSize, percpuSize);
        programHeader(elf, 2, 4, 4, notesOffset, 0xffffffff81000000L + 200, ENTRY + 200, NOTE.length, NOTE.length);
        for (int i = 0; i < PAGE; i++) {
            elf.put(textOffset + i, (byte) (i * 7 + 1));
        }
        elf.put(notesOffset, NOTE);
        elf.put(textOffset + 3 * PAGE + 17, (byte) 0x90);
        elf.put(textOffset + 5 * PAGE - 1, (byte) 0xcc);
        elf.put(textOffset + 5 * PAGE + 99, (byte) 0x55);
        Files.write(file, elf.array());
        return file;
    }

    private static void programHeader(ByteBuffer elf, int index, int type, int flags, long offset, long vaddr, long paddr,
                                      long fileSize, long memSize) {
        int at = 64 + index * 56;
        elf.putInt(at, type).putInt(at + 4, flags).putLong(at + 8, offset).putLong(at + 16, vaddr)
                .putLong(at + 24, paddr).putLong(at + 32, fileSize).putLong(at + 40, memSize).putLong(at + 48, PAGE);
    }

    static List<Segment> segments(Path file) throws IOException {
        ByteBuffer elf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Segment> segments = new ArrayList<>();
        long table = elf.getLong(0x20);
        for (int i = 0; i < Short.toUnsignedInt(elf.getShort(0x38)); i++) {
            int at = (int) (table + i * 56L);
            segments.add(new Segment(elf.getInt(at), elf.getLong(at + 8), elf.getLong(at + 24), elf.getLong(at + 32),
                    elf.getLong(at + 40)));
        }
        return segments;
    }

    /** The non-zero bytes a loader puts in zeroed RAM, by physical address. */
    static Map<Long, Byte> guestMemory(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Map<Long, Byte> memory = new TreeMap<>();
        for (Segment segment : segments(file)) {
            if (segment.type() != 1) {
                continue;
            }
            for (long i = 0; i < segment.fileSize(); i++) {
                byte value = bytes[(int) (segment.offset() + i)];
                if (value != 0) {
                    memory.put(segment.paddr() + i, value);
                }
            }
        }
        return memory;
    }

    /** The bytes of the first PT_NOTE segment. */
    static byte[] note(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Segment note = segments(file).stream().filter(segment -> segment.type() == 4).findFirst().orElseThrow();
        byte[] content = new byte[(int) note.fileSize()];
        System.arraycopy(bytes, (int) note.offset(), content, 0, content.length);
        return content;
    }
}
