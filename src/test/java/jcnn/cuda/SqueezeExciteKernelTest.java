package jcnn.cuda;

import java.util.SplittableRandom;
import jcnn.ops.SqueezeExcite;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jcnn.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** kernels/squeeze_excite.cu on the emulator against {@link SqueezeExcite#reference}: views, batch 2, in place. */
class SqueezeExciteKernelTest extends EmuTestBase {
    static final SqueezeExciteLauncher SE = new SqueezeExciteLauncher(DEV);

    @AfterAll static void closeLauncher() { SE.close(); }

    @Test void againstReference() {
        // channels around a warp and the block's 8 warps, planes shorter and longer than a warp, ShuffleNet 2x's widest
        for (int[] d : new int[][] {{1, 15, 7, 7}, {2, 33, 6, 6}, {1, 17, 1, 1}, {2, 240, 14, 14}, {1, 1920, 7, 7}}) {
            long seed = TestData.freshSeed();
            SplittableRandom r = new SplittableRandom(seed);
            var op = SqueezeExcite.of(d[1]);
            Shape s = Shape.nchw(d[0], d[1], d[2], d[3]);
            try (Tensor whole = random(s.withC(d[1] + 3), r, -3f, 3f); Tensor w1 = random(Shape.nchw(op.reduced(), d[1], 1, 1), r);
                 Tensor b1 = random(Shape.of(op.reduced()), r); Tensor w2 = random(Shape.nchw(d[1], op.reduced(), 1, 1), r);
                 Tensor b2 = random(Shape.of(d[1]), r); Tensor expect = TestData.output(s);
                 DeviceTensor dWhole = up(whole); DeviceTensor dw1 = up(w1); DeviceTensor db1 = up(b1); DeviceTensor dw2 = up(w2);
                 DeviceTensor db2 = up(b2); Slot out = Slot.of(s, 1, 2)) {
                op.reference(whole.channelSlice(2, d[1]), w1, b1, w2, b2, expect);
                SE.squeezeExcite(op, dWhole.channelSlice(2, d[1]), dw1, db1, dw2, db2, out.view());
                long reduction = (long) d[1] + (long) d[2] * d[3];
                close("squeeze_excite " + s, seed, reduction, expect, out.view());
                out.assertOutsideUntouched("squeeze_excite " + s);
                // in place, as an executor may run it
                SE.squeezeExcite(op, dWhole.channelSlice(2, d[1]), dw1, db1, dw2, db2, dWhole.channelSlice(2, d[1]));
                close("squeeze_excite in place " + s, seed, reduction, expect, dWhole.channelSlice(2, d[1]));
            }
        }
    }
}
