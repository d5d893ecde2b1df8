package jcnn.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class TensorTest {
    @Test
    void allocationIsAlignedZeroedAndFreedOnClose() {
        Tensor t = Tensor.allocate(Shape.nchw(2, 3, 5, 7));
        assertEquals(0, t.segment().address() % Tensor.ALIGN);
        for (long i = 0; i < t.shape().size(); i++) assertEquals(0f, t.get(i));
        t.close();
        assertTrue(t.isClosed());
        assertThrows(IllegalStateException.class, () -> t.get(0));
        t.close(); // idempotent
    }

    @Test
    void channelSliceIsAZeroCopyViewWithTheParentsBatchStride() {
        try (Tensor t = Tensor.allocate(Shape.nchw(2, 5, 3, 4))) {
            for (long i = 0; i < t.shape().size(); i++) t.set(i, i);
            Tensor v = t.channelSlice(2, 2);
            assertEquals(Shape.nchw(2, 2, 3, 4), v.shape());
            assertEquals(5 * 12, v.batchStride());
            assertFalse(v.isContiguous());
            assertEquals(t.get(1, 3, 2, 1), v.get(1, 1, 2, 1));
            v.set(1, 0, 0, 0, -7f);
            assertEquals(-7f, t.get(1, 2, 0, 0));
            float[] a = v.toArray();
            assertEquals(t.get(1, 3, 2, 3), a[a.length - 1]);
            v.close(); // a view never frees
            assertFalse(t.isClosed());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.channelSlice(4, 2));
            assertTrue(e.getMessage().contains("[4, 6)"), e.getMessage());
        }
    }

    @Test
    void wrapsArraysBuffersAndSegmentsWithoutCopying() {
        float[] data = new float[24];
        Tensor t = Tensor.wrap(data, Shape.nchw(1, 2, 3, 4));
        t.set(0, 1, 2, 3, 5f);
        assertEquals(5f, data[23]);

        FloatBuffer fb = ByteBuffer.allocateDirect(24 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        Tensor tb = Tensor.wrap(fb, Shape.nchw(1, 2, 3, 4));
        tb.set(5, 9f);
        assertEquals(9f, fb.get(5));

        try (Arena a = Arena.ofConfined()) {
            MemorySegment seg = a.allocate(24 * 4, 64);
            Tensor ts = Tensor.wrap(seg, Shape.nchw(1, 2, 3, 4));
            ts.set(7, 3f);
            assertEquals(3f, ts.asFloatBuffer().get(7));
            assertEquals(seg.address(), ts.segment().address());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(new float[5], Shape.of(6)));
        assertTrue(e.getMessage().contains("[6]"), e.getMessage());
    }

    @Test
    void copyOfRoundTripsAndShapeErrorsNameBothShapes() {
        float[] d = {1, 2, 3, 4, 5, 6};
        try (Tensor t = Tensor.copyOf(d, Shape.nchw(1, 1, 2, 3)); Tensor u = Tensor.allocate(Shape.nchw(1, 1, 3, 2))) {
            assertArrayEquals(d, t.toArray());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> u.copyFrom(t));
            assertTrue(e.getMessage().contains("[1, 1, 3, 2]") && e.getMessage().contains("[1, 1, 2, 3]"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Shape.of(1, 0, 3));
    }
}
