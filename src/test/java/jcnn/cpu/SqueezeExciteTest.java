package jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jcnn.ops.Activation;
import jcnn.ops.Conv2d;
import jcnn.ops.GlobalAvgPool;
import jcnn.ops.SqueezeExcite;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jcnn.testing.Compare;
import jcnn.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * Squeeze-and-excitation: its reference against the composition of the other ops' references
 * (global average pool, 1x1 conv + bias + ReLU, 1x1 conv + bias, sigmoid, multiply), and the
 * Vector API twin against the reference, on channel-slice views and around the vector width.
 */
class SqueezeExciteTest {
    static final int[][] SHAPES = {{1, 15, 7, 7}, {2, 16, 13, 13}, {1, 17, 5, 3}, {2, 480, 28, 28}, {1, 1920, 7, 7}, {1, 3, 1, 1}};

    @Test
    void referenceIsTheComposition() {
        for (int[] d : SHAPES) {
            long seed = TestData.freshSeed();
            SplittableRandom r = new SplittableRandom(seed);
            var op = SqueezeExcite.of(d[1]);
            Shape s = Shape.nchw(d[0], d[1], d[2], d[3]);
            Shape pooled = Shape.nchw(d[0], d[1], 1, 1), hidden = Shape.nchw(d[0], op.reduced(), 1, 1);
            try (Tensor x = TestData.random(s, r); Tensor w1 = TestData.random(Shape.nchw(op.reduced(), d[1], 1, 1), r);
                 Tensor b1 = TestData.random(Shape.of(op.reduced()), r); Tensor w2 = TestData.random(Shape.nchw(d[1], op.reduced(), 1, 1), r);
                 Tensor b2 = TestData.random(Shape.of(d[1]), r); Tensor ref = TestData.output(s); Tensor composed = TestData.output(s);
                 Tensor p = TestData.output(pooled); Tensor h = TestData.output(hidden); Tensor z = TestData.output(pooled)) {
                op.reference(x, w1, b1, w2, b2, ref);
                new GlobalAvgPool().reference(x, p);
                Conv2d.of(d[1], op.reduced(), 1, 1, 0, 1).withBias(true).withAct(Activation.RELU).reference(p, w1, b1, null, null, null, h);
                Conv2d.of(op.reduced(), d[1], 1, 1, 0, 1).withBias(true).reference(h, w2, b2, null, null, null, z);
                for (int n = 0; n < d[0]; n++)
                    for (int c = 0; c < d[1]; c++) {
                        double gate = 1 / (1 + Math.exp(-z.get(n, c, 0, 0)));
                        for (int y = 0; y < d[2]; y++)
                            for (int xx = 0; xx < d[3]; xx++) composed.set(n, c, y, xx, (float) (x.get(n, c, y, xx) * gate));
                    }
                Compare.close("squeeze_excite reference " + s, seed, (long) d[1] + (long) d[2] * d[3], composed, ref);
            }
        }
    }

    @Test
    void twinMatchesReferenceOnViews() {
        for (int[] d : SHAPES) {
            long seed = TestData.freshSeed();
            SplittableRandom r = new SplittableRandom(seed);
            var op = SqueezeExcite.of(d[1]);
            Shape s = Shape.nchw(d[0], d[1], d[2], d[3]);
            try (Tensor big = TestData.random(s.withC(d[1] + 3), r); Tensor w1 = TestData.random(Shape.nchw(op.reduced(), d[1], 1, 1), r);
                 Tensor b1 = TestData.random(Shape.of(op.reduced()), r); Tensor w2 = TestData.random(Shape.nchw(d[1], op.reduced(), 1, 1), r);
                 Tensor b2 = TestData.random(Shape.of(d[1]), r); Tensor ref = TestData.output(s); Tensor outBig = TestData.output(s.withC(d[1] + 1))) {
                Tensor x = big.channelSlice(2, d[1]), out = outBig.channelSlice(1, d[1]);
                op.reference(x, w1, b1, w2, b2, ref);
                CpuOps.squeezeExcite(op, x, w1, b1, w2, b2, out);
                Compare.close("squeeze_excite twin " + s, seed, (long) d[1] + (long) d[2] * d[3], ref, out);
                var prepared = CpuSqueezeExcite.prepare(op, w1, b1, w2, b2);
                TestData.poison(out);
                prepared.run(x, out);
                prepared.run(x, out);
                Compare.close("squeeze_excite prepared " + s, seed, (long) d[1] + (long) d[2] * d[3], ref, out);
            }
        }
    }

    @Test
    void badArgumentsNameTheOp() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SqueezeExcite(16, 0));
        assertTrue(e.getMessage().contains("squeeze_excite"), e.getMessage());
        var op = SqueezeExcite.of(32);
        var e2 = assertThrows(IllegalArgumentException.class, () -> op.outputShape(Shape.nchw(1, 31, 4, 4)));
        assertTrue(e2.getMessage().contains("squeeze_excite") && e2.getMessage().contains("31"), e2.getMessage());
    }
}
