package jcnn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Large allocations go through mmap + MADV_HUGEPAGE on Linux: zeroed, aligned, counted, unmapped on close. */
class NativeMemoryTest {

    @Test
    void largeTensorIsZeroedAlignedCountedAndFreed() throws IOException {
        Shape shape = Shape.nchw(1, 48, 128, 128); // 3 MiB: above the huge-page threshold
        long bytes = shape.size() * 4;
        assertTrue(bytes >= NativeMemory.HUGE_PAGE);
        long before = NativeMemory.liveBytes();
        Tensor t = Tensor.allocate(shape);
        MemorySegment seg = t.segment();
        long address = seg.address();
        assertEquals(before + bytes, NativeMemory.liveBytes());
        for (long i = 0; i < shape.size(); i += 4099) assertEquals(0f, t.get(i), "element " + i + " of a fresh tensor");
        assertEquals(0f, t.get(shape.size() - 1));
        t.set(shape.size() - 1, 3.5f);
        assertEquals(3.5f, seg.getAtIndex(ValueLayout.JAVA_FLOAT, shape.size() - 1));
        if (NativeMemory.hugePagesAdvised()) {
            assertEquals(0, address % NativeMemory.HUGE_PAGE, "starts on a huge-page boundary");
            assertTrue(mapped(address), "the tensor's address is mapped while open");
        }
        t.close();
        assertEquals(before, NativeMemory.liveBytes());
        assertThrows(IllegalStateException.class, () -> seg.get(ValueLayout.JAVA_FLOAT, 0));
        if (NativeMemory.hugePagesAdvised()) assertFalse(mapped(address), "unmapped once the tensor is closed");
    }

    @Test
    void smallAndLargeAllocationsShareOneArena() {
        long before = NativeMemory.liveBytes();
        try (Arena a = NativeMemory.ofShared()) {
            MemorySegment small = a.allocate(1000, 64), large = a.allocate(NativeMemory.HUGE_PAGE + 4, 64);
            assertEquals(0, small.address() % 64);
            assertEquals(0, large.address() % 64);
            assertEquals(NativeMemory.HUGE_PAGE + 4, large.byteSize());
            large.set(ValueLayout.JAVA_INT_UNALIGNED, NativeMemory.HUGE_PAGE, 42);
            assertEquals(42, large.get(ValueLayout.JAVA_INT_UNALIGNED, NativeMemory.HUGE_PAGE));
            assertEquals(before + 1000 + NativeMemory.HUGE_PAGE + 4, NativeMemory.liveBytes());
        }
        assertEquals(before, NativeMemory.liveBytes());
    }

    /** Whether some mapping in /proc/self/maps contains {@code address} (Linux). */
    private static boolean mapped(long address) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            String[] range = line.substring(0, line.indexOf(' ')).split("-");
            long lo = Long.parseUnsignedLong(range[0], 16), hi = Long.parseUnsignedLong(range[1], 16);
            if (Long.compareUnsigned(address, lo) >= 0 && Long.compareUnsigned(address, hi) < 0) return true;
        }
        return false;
    }
}
