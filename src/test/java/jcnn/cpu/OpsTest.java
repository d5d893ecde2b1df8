package jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jcnn.ops.Act;
import jcnn.ops.Activation;
import jcnn.ops.Add;
import jcnn.ops.AvgPool;
import jcnn.ops.ChannelAffine;
import jcnn.ops.ChannelShuffle;
import jcnn.ops.Concat;
import jcnn.ops.GlobalAvgPool;
import jcnn.ops.Linear;
import jcnn.ops.MaxPool;
import jcnn.ops.Slice;
import jcnn.ops.Softmax;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jcnn.testing.Compare;
import jcnn.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The non-conv twins against their references: movers and max pool bit for bit, the rest by tolerance. */
class OpsTest {
    /** Channel counts around the vector width, odd/prime sizes, batch 2; views when asked. */
    static final int[][] SHAPES = {{1, 15, 7, 7}, {2, 16, 13, 13}, {1, 17, 17, 5}, {2, 144, 14, 14}, {1, 3, 1, 1}, {1, 64, 56, 56}};

    static Tensor view(Tensor big, int c, boolean views) { return views ? big.channelSlice(2, c) : big; }

    @Test
    void elementwise() {
        for (int[] d : SHAPES)
            for (boolean views : new boolean[] {false, true})
                for (Activation act : Activation.values()) {
                    long seed = TestData.freshSeed();
                    SplittableRandom r = new SplittableRandom(seed);
                    Shape s = Shape.nchw(d[0], d[1], d[2], d[3]), big = s.withC(d[1] + (views ? 5 : 0));
                    String what = " " + s + " " + act + (views ? " views" : "");
                    try (Tensor a = TestData.random(big, r, -8, 8); Tensor b = TestData.random(big, r, -8, 8);
                         Tensor sc = TestData.random(Shape.of(d[1]), r); Tensor sh = TestData.random(Shape.of(d[1]), r);
                         Tensor ref = TestData.output(s); Tensor o = TestData.output(big)) {
                        Tensor av = view(a, d[1], views), bv = view(b, d[1], views), ov = view(o, d[1], views);
                        var aff = new ChannelAffine(d[1], act);
                        aff.reference(av, sc, sh, ref);
                        CpuOps.channelAffine(aff, av, sc, sh, ov);
                        Compare.close("channel_affine" + what, seed, 1, ref, ov);
                        var add = new Add(act);
                        add.reference(av, bv, ref);
                        CpuOps.add(add, av, bv, ov);
                        Compare.close("add" + what, seed, 2, ref, ov);
                        var ac = new Act(act);
                        ac.reference(av, ref);
                        CpuOps.act(ac, av, ov);
                        Compare.exact("act" + what, seed, ref, ov);
                    }
                }
    }

    @Test
    void movers() {
        for (int[] d : SHAPES) {
            if (d[1] < 6) continue;
            long seed = TestData.freshSeed();
            SplittableRandom r = new SplittableRandom(seed);
            Shape s = Shape.nchw(d[0], d[1], d[2], d[3]);
            try (Tensor a = TestData.random(s, r); Tensor b = TestData.random(s.withC(5), r);
                 Tensor ref = TestData.output(s.withC(d[1] + 5)); Tensor o = TestData.output(s.withC(d[1] + 5))) {
                var cat = new Concat();
                cat.reference(new Tensor[] {a, b}, ref);
                CpuOps.concat(cat, new Tensor[] {a, b}, o);
                Compare.exact("concat " + s, seed, ref, o);
                var sl = new Slice(3, d[1] - 4);
                Tensor rs = ref.channelSlice(0, d[1] - 4), os = o.channelSlice(1, d[1] - 4);
                TestData.poison(ref); TestData.poison(o);
                sl.reference(a, rs);
                CpuOps.slice(sl, a, os);
                Compare.exact("slice " + s, seed, rs, os);
                for (int g : new int[] {2, 3, 4, 8}) {
                    if (d[1] % g != 0) continue;
                    var sh = new ChannelShuffle(g);
                    Tensor rv = ref.channelSlice(0, d[1]), ov = o.channelSlice(5, d[1]);
                    TestData.poison(ref); TestData.poison(o);
                    sh.reference(a, rv);
                    CpuOps.channelShuffle(sh, a, ov);
                    Compare.exact("channel_shuffle g" + g + " " + s, seed, rv, ov);
                }
            }
        }
    }

    @ParameterizedTest(name = "k{0} s{1} p{2} ceil={3} {4}x{4}")
    @CsvSource({"3,2,0,true,55", "3,2,0,true,113", "3,2,1,false,112", "3,2,1,false,17", "2,2,0,false,13", "3,1,1,false,7",
                "3,2,0,false,13", "3,2,1,true,14", "5,3,2,true,17"})
    void pools(int k, int s, int p, boolean ceil, int hw) {
        long seed = TestData.freshSeed();
        SplittableRandom r = new SplittableRandom(seed);
        for (int c : new int[] {15, 16, 17}) {
            Shape in = Shape.nchw(2, c, hw, hw);
            var mp = new MaxPool(k, s, p, ceil);
            try (Tensor x = TestData.random(in.withC(c + 3), r); Tensor ref = TestData.output(mp.outputShape(in)); Tensor o = TestData.output(mp.outputShape(in))) {
                Tensor xv = x.channelSlice(1, c);
                mp.reference(xv, ref);
                CpuOps.maxPool(mp, xv, o);
                Compare.exact("maxpool " + mp + " " + in, seed, ref, o);
                for (boolean cp : new boolean[] {true, false}) {
                    var ap = new AvgPool(k, s, p, ceil, cp);
                    TestData.poison(o);
                    ap.reference(xv, ref);
                    CpuOps.avgPool(ap, xv, o);
                    Compare.close("avgpool " + ap + " " + in, seed, (long) k * k, ref, o);
                }
            }
        }
    }

    @Test
    void globalPoolLinearSoftmax() {
        for (int[] d : SHAPES) {
            long seed = TestData.freshSeed();
            SplittableRandom r = new SplittableRandom(seed);
            Shape s = Shape.nchw(d[0], d[1], d[2], d[3]);
            var gp = new GlobalAvgPool();
            try (Tensor x = TestData.random(s.withC(d[1] + 2), r); Tensor ref = TestData.output(gp.outputShape(s)); Tensor o = TestData.output(gp.outputShape(s))) {
                Tensor xv = x.channelSlice(1, d[1]);
                gp.reference(xv, ref);
                CpuOps.globalAvgPool(gp, xv, o);
                Compare.close("global_avgpool " + s, seed, (long) d[2] * d[3], ref, o);
            }
        }
        int[][] lin = {{1, 15, 17}, {2, 16, 16}, {2, 17, 15}, {1, 1024, 1000}, {2, 1280, 10}, {1, 544, 1000}};
        for (int[] d : lin)
            for (boolean bias : new boolean[] {true, false}) {
                long seed = TestData.freshSeed();
                SplittableRandom r = new SplittableRandom(seed);
                var op = new Linear(d[1], d[2], bias);
                try (Tensor x = TestData.random(Shape.nchw(d[0], d[1], 1, 1), r); Tensor w = TestData.random(Shape.of(d[2], d[1]), r);
                     Tensor b = TestData.random(Shape.of(d[2]), r); Tensor ref = TestData.output(Shape.of(d[0], d[2])); Tensor o = TestData.output(Shape.of(d[0], d[2]))) {
                    op.reference(x, w, b, ref);
                    CpuOps.linear(op, x, w, b, o);
                    Compare.close("linear " + op, seed, d[1], ref, o);
                    TestData.poison(o);
                    CpuLinear pl = CpuLinear.prepare(op, w, b);
                    pl.run(x, o);
                    pl.run(x, o);
                    Compare.close("linear prepared " + op, seed, d[1], ref, o);
                    var sm = new Softmax();
                    Tensor sr = TestData.output(ref.shape()), so = TestData.output(ref.shape());
                    sm.reference(ref, sr);
                    CpuOps.softmax(sm, ref, so);
                    Compare.close("softmax " + d[2], seed, d[2], sr, so);
                    sr.close(); so.close();
                }
            }
    }

    @Test
    void badArguments() {
        try (Tensor x = Tensor.allocate(1, 6, 4, 4); Tensor y = Tensor.allocate(1, 6, 4, 5); Tensor s = Tensor.allocate(Shape.of(5))) {
            var e = assertThrows(IllegalArgumentException.class, () -> CpuOps.add(new Add(Activation.NONE), x, y, x));
            assertTrue(e.getMessage().contains("add"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> CpuOps.channelAffine(new ChannelAffine(6, Activation.RELU), x, s, s, x));
            assertTrue(e.getMessage().contains("channel_affine") && e.getMessage().contains("5"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> CpuOps.channelShuffle(new ChannelShuffle(4), x, x));
            assertTrue(e.getMessage().contains("channel_shuffle") && e.getMessage().contains("6"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new MaxPool(3, 2, -1, false));
            assertTrue(e.getMessage().contains("maxpool") && e.getMessage().contains("-1"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> CpuOps.maxPool(new MaxPool(3, 2, 0, false), x, x));
            assertTrue(e.getMessage().contains("maxpool"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> CpuOps.linear(new Linear(95, 10, false), x, s, null, s));
            assertTrue(e.getMessage().contains("linear") && e.getMessage().contains("95"), e.getMessage());
        }
    }
}
