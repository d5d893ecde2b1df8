package jcnn.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The references are the oracle for every twin, so pin them against tiny hand-computed cases. */
class ReferencePinTest {
    @Test
    void conv3x3OnThreeByThree() {
        // input 1..9, all-ones kernel, pad 1: each output sums its 3x3 neighbourhood
        try (Tensor in = Tensor.copyOf(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, Shape.nchw(1, 1, 3, 3));
             Tensor w = Tensor.copyOf(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, Shape.of(1, 1, 3, 3));
             Tensor b = Tensor.copyOf(new float[] {0.5f}, Shape.of(1));
             Tensor out = Tensor.allocate(1, 1, 3, 3)) {
            Conv2d.of(1, 1, 3, 1, 1, 1).withBias(true).reference(in, w, b, null, null, null, out);
            assertArrayEquals(new float[] {12.5f, 21.5f, 16.5f, 27.5f, 45.5f, 33.5f, 24.5f, 39.5f, 28.5f}, out.toArray());
            // stride 2, no padding, weights 1..9: one output = sum i*i
            Tensor w2 = Tensor.copyOf(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, Shape.of(1, 1, 3, 3));
            Tensor o2 = Tensor.allocate(1, 1, 1, 1);
            Conv2d.of(1, 1, 3, 2, 0, 1).reference(in, w2, null, null, null, null, o2);
            assertEquals(285f, o2.get(0));
            // prologue relu(x*s + t) with s=-1, t=5: 4,3,2,1,0,0,0,0,0 -> weights 1: sum of centre window pad1 at (0,0) = 4+3+1+0 = 8
            Tensor s = Tensor.copyOf(new float[] {-1}, Shape.of(1)), t = Tensor.copyOf(new float[] {5}, Shape.of(1));
            Conv2d.of(1, 1, 3, 1, 1, 1).withInputBnRelu(true).reference(in, w, null, null, s, t, out);
            assertEquals(4 + 3 + 1 + 0, out.get(0));
            w2.close(); o2.close(); s.close(); t.close();
        }
    }

    @Test
    void avgPoolDivisorAtBorder() {
        AvgPool cp = new AvgPool(3, 2, 1, false, true), ex = new AvgPool(3, 2, 1, false, false);
        assertEquals(9, cp.divisor(-1, -1, 4, 4)); // padded positions count
        assertEquals(4, ex.divisor(-1, -1, 4, 4)); // only the 2x2 real elements
        assertEquals(6, ex.divisor(-1, 1, 4, 4));
        // ceil mode window hanging over the right edge beyond the padding: count only up to W+pad
        AvgPool ceil = new AvgPool(3, 2, 0, true, true);
        assertEquals(3, ceil.divisor(0, 4, 5, 5)); // rows 0..2 x col 4 only: clipped at W+pad
        try (Tensor in = Tensor.copyOf(new float[] {1, 2, 3, 4}, Shape.nchw(1, 1, 2, 2)); Tensor out = Tensor.allocate(1, 1, 1, 1)) {
            new AvgPool(3, 2, 1, false, true).reference(in, out);
            assertEquals(10f / 9f, out.get(0), 1e-7);
            new AvgPool(3, 2, 1, false, false).reference(in, out);
            assertEquals(2.5f, out.get(0));
        }
    }

    @Test
    void channelShufflePermutation() {
        assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, perm(new ChannelShuffle(2), 6));
        assertArrayEquals(new int[] {0, 2, 4, 1, 3, 5}, perm(new ChannelShuffle(3), 6));
        try (Tensor in = Tensor.copyOf(new float[] {0, 1, 2, 3, 4, 5}, Shape.nchw(1, 6, 1, 1)); Tensor out = Tensor.allocate(1, 6, 1, 1)) {
            new ChannelShuffle(2).reference(in, out);
            assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, out.toArray());
        }
    }

    private static int[] perm(ChannelShuffle s, int c) {
        int[] p = new int[c];
        for (int j = 0; j < c; j++) p[j] = s.sourceChannel(j, c);
        return p;
    }

    @Test
    void maxPoolCeilSizes() {
        assertEquals(27, new MaxPool(3, 2, 0, true).outputShape(Shape.nchw(1, 1, 55, 55)).h());
        assertEquals(56, new MaxPool(3, 2, 0, true).outputShape(Shape.nchw(1, 1, 113, 113)).h());
        assertEquals(56, new MaxPool(3, 2, 1, false).outputShape(Shape.nchw(1, 1, 112, 112)).h());
        assertEquals(7, new MaxPool(3, 2, 0, true).outputShape(Shape.nchw(1, 1, 14, 14)).h());
        assertEquals(6, new MaxPool(3, 2, 0, false).outputShape(Shape.nchw(1, 1, 14, 14)).h());
        try (Tensor in = Tensor.copyOf(new float[] {1, 5, 2, 3, 4, -1, 0, 9, -2, 7, 8, 6, -3, -4, -5, -6}, Shape.nchw(1, 1, 4, 4));
             Tensor out = Tensor.allocate(1, 1, 2, 2)) {
            new MaxPool(3, 2, 0, true).reference(in, out); // windows rows/cols {0..2},{2..3}
            assertArrayEquals(new float[] {8, 9, 8, 8}, out.toArray());
        }
    }

    @Test
    void linearAndSoftmax() {
        try (Tensor x = Tensor.copyOf(new float[] {1, 2}, Shape.of(1, 2)); Tensor w = Tensor.copyOf(new float[] {1, 0, 3, -1}, Shape.of(2, 2));
             Tensor b = Tensor.copyOf(new float[] {0.5f, 0}, Shape.of(2)); Tensor y = Tensor.allocate(Shape.of(1, 2)); Tensor p = Tensor.allocate(Shape.of(1, 2))) {
            new Linear(2, 2, true).reference(x, w, b, y);
            assertArrayEquals(new float[] {1.5f, 1f}, y.toArray());
            new Softmax().reference(y, p);
            assertEquals(1 / (1 + Math.exp(-0.5)), p.get(0), 1e-7);
        }
    }
}
