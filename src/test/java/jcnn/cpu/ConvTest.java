package jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import jcnn.ops.Activation;
import jcnn.ops.Conv2d;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jcnn.testing.Compare;
import jcnn.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every conv variant against Conv2d.reference, through both kernels (GEMM and direct) and CpuOps. */
class ConvTest {
    static final CpuPool POOL = new CpuPool(2);

    /** name, op, N, H, W */
    static Stream<Arguments> shapes() {
        return Stream.of(
            // edges: channels 15/16/17, odd and prime sizes, stride 2 on odd sizes
            a("pw 15->17 7x7", Conv2d.of(15, 17, 1, 1, 0, 1), 1, 7, 7),
            a("pw 16->16 13x13 relu bias", Conv2d.of(16, 16, 1, 1, 0, 1).withBias(true).withAct(Activation.RELU), 2, 13, 13),
            a("pw 17->15 17x17 relu6 res", Conv2d.of(17, 15, 1, 1, 0, 1).withAct(Activation.RELU6).withResidual(true), 1, 17, 17),
            a("pw s2 16->32 13x13", Conv2d.of(16, 32, 1, 2, 0, 1).withBias(true), 2, 13, 13),
            a("pw prologue 17->9", Conv2d.of(17, 9, 1, 1, 0, 1).withInputBnRelu(true), 2, 11, 7),
            a("pw 20->15 relu6 (the last block of 8 has 7 real rows: not stored from registers)", Conv2d.of(20, 15, 1, 1, 0, 1).withBias(true).withAct(Activation.RELU6), 2, 8, 16),
            a("dw3 s1 15 13x13", Conv2d.of(15, 15, 3, 1, 1, 15).withBias(true).withAct(Activation.RELU6), 1, 13, 13),
            a("dw3 s1 17 7x17", Conv2d.of(17, 17, 3, 1, 1, 17).withResidual(true), 2, 7, 17),
            a("dw3 s2 16 17x17", Conv2d.of(16, 16, 3, 2, 1, 16).withBias(true).withAct(Activation.RELU), 1, 17, 17),
            a("dw3 s2 16 13x33", Conv2d.of(16, 16, 3, 2, 1, 16), 2, 13, 33),
            a("dw3 s1 24 9x40 (rows stored from registers, a partial last vector)", Conv2d.of(24, 24, 3, 1, 1, 24).withBias(true).withAct(Activation.RELU6), 2, 9, 40),
            a("dw3 s2 20 11x57", Conv2d.of(20, 20, 3, 2, 1, 20).withBias(true).withAct(Activation.RELU), 1, 11, 57),
            a("dw5 s2", Conv2d.of(8, 8, 5, 2, 2, 8), 1, 13, 13),
            a("dw3 s1 prologue 33 9x9", Conv2d.of(33, 33, 3, 1, 1, 33).withInputBnRelu(true).withBias(true), 2, 9, 9),
            a("dw3 s2 prologue 32 res 8x7", Conv2d.of(32, 32, 3, 2, 1, 32).withInputBnRelu(true).withResidual(true).withAct(Activation.RELU), 1, 8, 7),
            // flattened depthwise 3x3 s1 (row-end lane masks): a plane of whole vectors, one column, a 3-vector mask period with prologue and residual
            a("dw3 s1 16 8x8 relu (whole vectors)", Conv2d.of(16, 16, 3, 1, 1, 16).withBias(true).withAct(Activation.RELU), 1, 8, 8),
            a("dw3 s1 20 6x1 res (one column)", Conv2d.of(20, 20, 3, 1, 1, 20).withResidual(true), 2, 6, 1),
            a("dw3 s1 prologue res 18 5x12", Conv2d.of(18, 18, 3, 1, 1, 18).withInputBnRelu(true).withResidual(true).withAct(Activation.RELU6), 2, 5, 12),
            // flattened depthwise 3x3 s2 (parity planes): rows split by whole vector pairs, with prologue and residual; odd width over 2 vectors
            a("dw3 s2 prologue res 17 9x40", Conv2d.of(17, 17, 3, 2, 1, 17).withInputBnRelu(true).withResidual(true).withAct(Activation.RELU), 2, 9, 40),
            a("dw3 s2 18 6x35 relu6", Conv2d.of(18, 18, 3, 2, 1, 18).withBias(true).withAct(Activation.RELU6), 1, 6, 35),
            // depthwise on maps smaller than a vector (flattened: the whole plane is one partial vector)
            a("dw3 s1 32 3x5", Conv2d.of(32, 32, 3, 1, 1, 32).withBias(true).withAct(Activation.RELU6), 2, 3, 5),
            a("dw3 s2 prologue 48 5x5", Conv2d.of(48, 48, 3, 2, 1, 48).withInputBnRelu(true).withBias(true), 2, 5, 5),
            a("dw3 multiplier 2 (16->32, 16 groups)", Conv2d.of(16, 32, 3, 1, 1, 16).withBias(true), 1, 9, 9),
            a("grouped3 s1 32 g8", Conv2d.of(32, 32, 3, 1, 1, 8).withBias(true).withAct(Activation.RELU), 1, 13, 13),
            a("grouped3 s2 64 g8 (8/group)", Conv2d.of(64, 64, 3, 2, 1, 8).withBias(true), 2, 17, 17),
            // the channel-vector 1x1 (K >= 256, 7-pixel tiles x 32 output channels): 7x7 with residual, 14x14 two images, 7x14
            a("pw cv 256->64 7x7 res relu6", Conv2d.of(256, 64, 1, 1, 0, 1).withBias(true).withResidual(true).withAct(Activation.RELU6), 1, 7, 7),
            a("pw cv 264->96 14x14 relu", Conv2d.of(264, 96, 1, 1, 0, 1).withBias(true).withAct(Activation.RELU), 2, 14, 14),
            a("pw cv 300->32 7x14", Conv2d.of(300, 32, 1, 1, 0, 1).withBias(true), 1, 7, 14),
            a("pw cv 1024->544 7x7 res (weights past 2 MB: an item per block)", Conv2d.of(1024, 544, 1, 1, 0, 1).withBias(true).withResidual(true), 2, 7, 7),
            a("pw cv prologue 260->64 7x7 relu", Conv2d.of(260, 64, 1, 1, 0, 1).withInputBnRelu(true).withBias(true).withAct(Activation.RELU), 2, 7, 7),
            // the channel-vector k x k stride 1 (zero-padded copy, tiles within an output row, a short last tile)
            a("3x3 cv 64->64 13x13 relu (7 + 6 per row)", Conv2d.of(64, 64, 3, 1, 1, 1).withBias(true).withAct(Activation.RELU), 2, 13, 13),
            a("3x3 cv prologue 128->32 7x7 (DenseNet)", Conv2d.of(128, 32, 3, 1, 1, 1).withInputBnRelu(true), 1, 7, 7),
            a("3x3 cv prologue res relu6 40->64 5x9", Conv2d.of(40, 64, 3, 1, 1, 1).withInputBnRelu(true).withBias(true).withResidual(true).withAct(Activation.RELU6), 2, 5, 9),
            a("5x5 cv p2 12->32 6x6 (rows shorter than a tile)", Conv2d.of(12, 32, 5, 1, 2, 1).withBias(true), 1, 6, 6),
            a("3x3 cv p0 30->96 9x11", Conv2d.of(30, 96, 3, 1, 0, 1).withBias(true).withAct(Activation.RELU), 2, 9, 11),
            a("3x3 cv 32->32 23x23 res (items are runs of tiles)", Conv2d.of(32, 32, 3, 1, 1, 1).withBias(true).withResidual(true), 1, 23, 23),
            a("pw K-blocked 600->40 res relu", Conv2d.of(600, 40, 1, 1, 0, 1).withBias(true).withResidual(true).withAct(Activation.RELU), 2, 7, 9),
            a("pw K-blocked 300->20 (8+8+4 rows)", Conv2d.of(300, 20, 1, 1, 0, 1).withInputBnRelu(true), 1, 11, 11),
            a("dense3 16->17 prologue", Conv2d.of(16, 17, 3, 1, 1, 1).withInputBnRelu(true).withBias(true), 2, 7, 7),
            // real layer rows, small spatial sizes
            a("MobileNetV2 dw 144 s1 14x14", Conv2d.of(144, 144, 3, 1, 1, 144).withBias(true).withAct(Activation.RELU6), 1, 14, 14),
            a("MobileNetV2 dw 144 s2 14x14", Conv2d.of(144, 144, 3, 2, 1, 144).withBias(true).withAct(Activation.RELU6), 1, 14, 14),
            a("MobileNetV2 project 144->24 res", Conv2d.of(144, 24, 1, 1, 0, 1).withBias(true).withResidual(true), 1, 14, 14),
            a("ResNeXt50 grouped3 128 g32 s1", Conv2d.of(128, 128, 3, 1, 1, 32).withBias(true).withAct(Activation.RELU), 1, 14, 14),
            a("ResNeXt50 grouped3 256 g32 s2", Conv2d.of(256, 256, 3, 2, 1, 32).withBias(true).withAct(Activation.RELU), 1, 15, 15),
            a("ResNeXt50 shortcut 256->512 s2", Conv2d.of(256, 512, 1, 2, 0, 1).withBias(true), 1, 9, 9),
            a("ResNeXt50 expand 128->256 res relu", Conv2d.of(128, 256, 1, 1, 0, 1).withBias(true).withResidual(true).withAct(Activation.RELU), 1, 8, 8),
            a("DenseNet121 1x1 prologue 256->128", Conv2d.of(256, 128, 1, 1, 0, 1).withInputBnRelu(true).withBias(true).withAct(Activation.RELU), 1, 8, 8),
            a("DenseNet121 3x3 128->32", Conv2d.of(128, 32, 3, 1, 1, 1).withInputBnRelu(true), 1, 7, 7),
            a("ShuffleNetV1 g3 240->60", Conv2d.of(240, 60, 1, 1, 0, 3).withBias(true).withAct(Activation.RELU), 1, 14, 14),
            a("ShuffleNetV1 g8 384->96", Conv2d.of(384, 96, 1, 1, 0, 8).withBias(true), 1, 7, 7),
            a("ShuffleNetV2 dw 58 s2", Conv2d.of(58, 58, 3, 2, 1, 58).withBias(true), 1, 15, 15),
            a("SqueezeNet fire squeeze 96->16", Conv2d.of(96, 16, 1, 1, 0, 1).withBias(true).withAct(Activation.RELU), 1, 13, 13),
            a("SqueezeNet fire expand3x3 16->64", Conv2d.of(16, 64, 3, 1, 1, 1).withBias(true).withAct(Activation.RELU), 1, 13, 13),
            a("stem 3x3 s2 3->32", Conv2d.of(3, 32, 3, 2, 1, 1).withBias(true).withAct(Activation.RELU6), 1, 33, 33),
            a("stem 7x7 s2 3->64", Conv2d.of(3, 64, 7, 2, 3, 1).withBias(true).withAct(Activation.RELU), 1, 31, 31),
            a("SqueezeNet stem 7x7 s2 p0 3->96", Conv2d.of(3, 96, 7, 2, 0, 1).withBias(true).withAct(Activation.RELU), 1, 31, 31),
            a("SqueezeNet1.1 stem 3x3 s2 p0 3->64", Conv2d.of(3, 64, 3, 2, 0, 1).withBias(true).withAct(Activation.RELU), 2, 29, 29),
            // several pixel tiles per image, tiles starting mid-row (the padded im2col copies only a tile's rows)
            a("SqueezeNet expand3x3 16->64 55x55", Conv2d.of(16, 64, 3, 1, 1, 1).withBias(true).withAct(Activation.RELU), 1, 55, 55),
            a("3x3 s2 prologue 24->40 45x45", Conv2d.of(24, 40, 3, 2, 1, 1).withInputBnRelu(true).withBias(true), 1, 45, 45),
            a("5x5 s1 p2 prologue 40->33 31x29", Conv2d.of(40, 33, 5, 1, 2, 1).withInputBnRelu(true).withAct(Activation.RELU), 2, 31, 29),
            a("3x3 s1 K-blocked residual 128->36 30x29 (tiles of rows, a short last tile)", Conv2d.of(128, 36, 3, 1, 1, 1).withResidual(true).withAct(Activation.RELU), 2, 30, 29),
            a("3x3 s1 2 groups 64->40 19x23", Conv2d.of(64, 40, 3, 1, 1, 2).withBias(true), 1, 19, 23),
            // the tap epilogue's masked stores: rows exactly a vector wide, and K-blocked without a residual
            a("3x3 s1 8->12 11x16 relu6 (output rows one vector wide)", Conv2d.of(8, 12, 3, 1, 1, 1).withBias(true).withAct(Activation.RELU6), 2, 11, 16),
            a("3x3 s1 K-blocked 32->20 18x20", Conv2d.of(32, 20, 3, 1, 1, 1).withBias(true).withAct(Activation.RELU), 1, 18, 20),
            a("2x2 s1 p0 12->20 9x10", Conv2d.of(12, 20, 2, 1, 0, 1).withBias(true), 1, 9, 10));
    }

    static Arguments a(String name, Conv2d op, int n, int h, int w) { return Arguments.of(name, op, n, h, w); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void conv(String name, Conv2d op, int n, int h, int w) {
        long seed = TestData.freshSeed();
        for (CpuConv.Path path : new CpuConv.Path[] {CpuConv.Path.GEMM, CpuConv.Path.DIRECT}) {
            if (path == CpuConv.Path.DIRECT && op.kernel() == 1) continue; // direct needs no 1x1 case: GEMM covers it
            check(name + " [" + path + "]", op, n, h, w, seed, path, false);
            check(name + " [" + path + ", views]", op, n, h, w, seed, path, true);
        }
    }

    /** With views=true input, output and residual are channel slices of larger tensors (batchStride > C*H*W). */
    static void check(String name, Conv2d op, int n, int h, int w, long seed, CpuConv.Path path, boolean views) {
        SplittableRandom r = new SplittableRandom(seed);
        Shape is = Shape.nchw(n, op.inC(), h, w);
        Shape os = op.withResidual(false).outputShape(is);
        try (Tensor inBig = TestData.random(is.withC(op.inC() + (views ? 5 : 0)), r);
             Tensor wt = TestData.random(op.weightShape(), r);
             Tensor b = TestData.random(Shape.of(op.outC()), r);
             Tensor s = TestData.random(Shape.of(op.inC()), r, 0.5f, 1.5f);
             Tensor t = TestData.random(Shape.of(op.inC()), r, -0.5f, 0.5f);
             Tensor resBig = TestData.random(os.withC(op.outC() + (views ? 3 : 0)), r);
             Tensor ref = TestData.output(os);
             Tensor outBig = TestData.output(os.withC(op.outC() + (views ? 7 : 0)))) {
            Tensor in = views ? inBig.channelSlice(3, op.inC()) : inBig;
            Tensor res = views ? resBig.channelSlice(2, op.outC()) : resBig;
            Tensor out = views ? outBig.channelSlice(4, op.outC()) : outBig;
            op.reference(in, wt, b, res, s, t, ref);
            CpuConv c = CpuConv.prepare(op, wt, b, s, t, POOL, path);
            long red = (long) op.inC() / op.groups() * op.kernel() * op.kernel();
            c.run(in, res, out);
            Compare.close(name, seed, red, ref, out);
            TestData.poison(outBig);
            c.run(in, res, out); // second run: cached shapes, reused scratch
            Compare.close(name + " (rerun)", seed, red, ref, out);
            if (views) {
                float[] all = outBig.toArray();
                int per = (op.outC() + 7) * os.h() * os.w(), hw = os.h() * os.w();
                for (int i = 0; i < all.length; i++) {
                    int ch = (i % per) / hw;
                    if (ch < 4 || ch >= 4 + op.outC()) assertTrue(Float.isNaN(all[i]), name + ": wrote outside its slice (seed " + seed + ")");
                }
            }
            if (path == CpuConv.Path.GEMM) { // the direct entry point too
                TestData.poison(outBig);
                CpuOps.conv2d(op, in, wt, b, res, s, t, out);
                Compare.close(name + " (CpuOps)", seed, red, ref, out);
            }
        }
    }

    /**
     * Infinities at the ends of input rows stay in their own rows: the flattened depthwise reads the
     * neighbouring row's edge for its side taps and must drop those lanes without multiplying an
     * infinity by zero (NaN). Non-finite outputs must be where the reference has them, finite ones close.
     */
    @Test
    void depthwiseRowEdgesDoNotLeakInfinities() {
        long seed = TestData.freshSeed();
        int h = 6, w = 9;
        SplittableRandom r = new SplittableRandom(seed);
        for (int stride = 1; stride <= 2; stride++)
        for (CpuConv.Path path : new CpuConv.Path[] {CpuConv.Path.GEMM, CpuConv.Path.DIRECT}) {
            Conv2d op = Conv2d.of(17, 17, 3, stride, 1, 17).withBias(true);
            Shape is = Shape.nchw(1, 17, h, w), os = op.outputShape(is);
            try (Tensor in = TestData.random(is, r); Tensor wt = TestData.random(op.weightShape(), r); Tensor b = TestData.random(Shape.of(17), r);
                 Tensor ref = TestData.output(os); Tensor out = TestData.output(os)) {
                for (int c = 0; c < 17; c++) {
                    in.set((long) (c * h + 1) * w + w - 1, Float.POSITIVE_INFINITY); // row 1, last column
                    in.set((long) (c * h + 2) * w + w - 2, Float.POSITIVE_INFINITY); // row 2, the last odd column (stride 2)
                    in.set((long) (c * h + 4) * w, Float.NEGATIVE_INFINITY);         // row 4, first column
                }
                op.reference(in, wt, b, null, null, null, ref);
                CpuConv.prepare(op, wt, b, null, null, POOL, path).run(in, null, out);
                float[] x = ref.toArray(), y = out.toArray();
                int nonFinite = 0;
                for (int i = 0; i < x.length; i++) {
                    if (!Float.isFinite(x[i])) nonFinite++;
                    assertTrue(Float.isFinite(x[i]) == Float.isFinite(y[i]) && (!Float.isFinite(x[i]) || Math.abs(x[i] - y[i]) <= 1e-4 * (1 + Math.abs(x[i]))),
                        path + " stride " + stride + ": element " + i + " got " + y[i] + ", reference " + x[i] + " (seed " + seed + ")");
                }
                assertTrue(nonFinite > 0 && nonFinite < x.length / 2, "the infinities reach some outputs, not most: " + nonFinite);
            }
        }
    }

    @Test
    void badArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> Conv2d.of(16, 16, 3, 1, -1, 1));
        assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv2d.of(15, 16, 3, 1, 1, 2));
        assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("15"), e.getMessage());
        Conv2d op = Conv2d.of(8, 16, 3, 1, 1, 1);
        try (Tensor w = Tensor.allocate(16, 8, 1, 1); Tensor in = Tensor.allocate(1, 8, 5, 5); Tensor out = Tensor.allocate(1, 16, 5, 5);
             Tensor w2 = Tensor.allocate(16, 8, 3, 3); Tensor in2 = Tensor.allocate(1, 7, 5, 5)) {
            e = assertThrows(IllegalArgumentException.class, () -> CpuConv.prepare(op, w, null, null, null));
            assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("weight"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> CpuOps.conv2d(op, in, w, null, null, null, null, out));
            assertTrue(e.getMessage().contains("weight"), e.getMessage());
            CpuConv c = CpuConv.prepare(op, w2, null, null, null, POOL);
            e = assertThrows(IllegalArgumentException.class, () -> c.run(in2, null, out));
            assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("7"), e.getMessage());
        }
    }
}
