package dev.golemsandbox.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.golemsandbox.guest.SyntheticVmlinux.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmlinuxPackerTest {

    @TempDir
    Path temp;

    @Test
    void aPackedKernelPutsTheSameBytesInGuestMemoryFromASmallerFile() throws Exception {
        Path vmlinux = SyntheticVmlinux.write(temp.resolve("vmlinux"));
        Path packed = temp.resolve("packed");

        VmlinuxPacker.pack(vmlinux, packed);

        assertThat(SyntheticVmlinux.guestMemory(packed)).isEqualTo(SyntheticVmlinux.guestMemory(vmlinux));
        assertThat(SyntheticVmlinux.note(packed)).as("the PVH note QEMU boots by").isEqualTo(SyntheticVmlinux.NOTE);
        ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(packed)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(header.getLong(0x18)).isEqualTo(SyntheticVmlinux.ENTRY);
        assertThat(Files.size(packed)).isLessThan(Files.size(vmlinux));
    }

    @Test
    void aPackedKernelLoadsNoZeroPageAndNothingOutsideTheOriginalSegments() throws Exception {
        Path vmlinux = SyntheticVmlinux.write(temp.resolve("vmlinux"));
        Path packed = temp.resolve("packed");

        VmlinuxPacker.pack(vmlinux, packed);

        List<Segment> original = SyntheticVmlinux.segments(vmlinux).stream().filter(s -> s.type() == 1).toList();
        List<Segment> loads = SyntheticVmlinux.segments(packed).stream().filter(s -> s.type() == 1).toList();
        // Text pages 0, 3 and 4 plus the partial tail page; pages 1-2, .bss and the per-CPU segment are zeros.
        assertThat(loads).extracting(Segment::paddr).containsExactly(0x1000000L, 0x1003000L);
        assertThat(loads).extracting(Segment::fileSize).containsExactly(4096L, 2 * 4096L + 100);
        byte[] bytes = Files.readAllBytes(packed);
        for (Segment load : loads) {
            assertThat(load.memSize()).isEqualTo(load.fileSize());
            assertThat(original).anySatisfy(source -> assertThat(load.paddr()).isBetween(source.paddr(),
                    source.paddr() + source.memSize() - load.memSize()));
            for (long page = 0; page < load.fileSize(); page += 4096) {
                int from = (int) (load.offset() + page);
                int to = (int) (load.offset() + Math.min(page + 4096, load.fileSize()));
                assertThat(Arrays.mismatch(bytes, from, to, new byte[to - from], 0, to - from))
                        .as("page at %x is not all zeros", load.paddr() + page).isNotNegative();
            }
        }
    }

    @Test
    void packedKernelsAreToldApartFromExtractedOnes() throws Exception {
        Path vmlinux = SyntheticVmlinux.write(temp.resolve("vmlinux"));
        Path packed = temp.resolve("packed");
        VmlinuxPacker.pack(vmlinux, packed);

        assertThat(VmlinuxPacker.isPacked(vmlinux)).isFalse();
        assertThat(VmlinuxPacker.isPacked(packed)).isTrue();
        Path repacked = temp.resolve("repacked");
        VmlinuxPacker.pack(packed, repacked);
        assertThat(Files.readAllBytes(repacked)).isEqualTo(Files.readAllBytes(packed));
    }

    @Test
    void aFileThatIsNotAKernelIsRefusedByName() throws IOException {
        Path notElf = Files.writeString(temp.resolve("bzImage"), "MZ not an ELF file");

        assertThatThrownBy(() -> VmlinuxPacker.pack(notElf, temp.resolve("out")))
                .isInstanceOf(IOException.class)
                .hasMessage(notElf + " is not a 64-bit little-endian ELF kernel (vmlinux)");
    }
}
