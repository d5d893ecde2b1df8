package jcnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import jcnn.ops.Activation;
import jcnn.ops.Conv2d;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jcnn.testing.Compare;
import jcnn.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The three conv kernel families through the emulator, launched exactly as the CUDA backend will
 * (ConvLauncher), against Conv2d.reference: edge channel counts around the warp, odd/prime sizes,
 * stride 2 on odd sizes, batch 2, channel-slice inputs/outputs, and small versions of real layers.
 */
class ConvKernelsTest extends EmuTestBase {
    static final ConvLauncher CONV = new ConvLauncher(DEV);

    @AfterAll static void closeLauncher() { CONV.close(); }

    /** Runs op on random data, input/output as slices when inBefore/outBefore > 0, and compares. */
    static void check(String what, Conv2d op, int n, int h, int w, int inBefore, int outBefore, ConvLauncher.Family family) {
        assertEquals(family, ConvLauncher.family(op), what + ": kernel family");
        long seed = TestData.freshSeed();
        SplittableRandom r = new SplittableRandom(seed);
        Shape inS = Shape.nchw(n, op.inC(), h, w);
        try (Tensor inWhole = random(inS.withC(op.inC() + inBefore + (inBefore > 0 ? 3 : 0)), r);
             Tensor wt = random(op.weightShape(), r);
             Tensor b = op.bias() ? random(Shape.of(op.outC()), r) : null;
             Tensor sc = op.inputBnRelu() ? random(Shape.of(op.inC()), r, 0.5f, 1.5f) : null;
             Tensor sh = op.inputBnRelu() ? random(Shape.of(op.inC()), r, -0.5f, 0.5f) : null) {
            Tensor in = hostView(inWhole, inS, inBefore);
            Shape outS = op.withResidual(false).outputShape(inS);
            try (Tensor res = op.residual() ? random(outS, r) : null;
                 Tensor ref = TestData.output(outS);
                 DeviceTensor dInWhole = up(inWhole); DeviceTensor dW = up(wt);
                 DeviceTensor dB = b == null ? null : up(b); DeviceTensor dRes = res == null ? null : up(res);
                 DeviceTensor dSc = sc == null ? null : up(sc); DeviceTensor dSh = sh == null ? null : up(sh);
                 Slot out = Slot.of(outS, outBefore, outBefore > 0 ? 2 : 0)) {
                op.reference(in, wt, b, res, sc, sh, ref);
                DeviceTensor dIn = inWhole.c() == op.inC() ? dInWhole : dInWhole.channelSlice(inBefore, op.inC());
                CONV.conv2d(op, dIn, dW, dB, dRes, dSc, dSh, out.view());
                close(what + " " + op, seed, (long) (op.inC() / op.groups()) * op.kernel() * op.kernel(), ref, out.view());
                out.assertOutsideUntouched(what);
            }
        }
    }

    static Conv2d conv(int in, int out, int k, int s, int p, int g) { return Conv2d.of(in, out, k, s, p, g); }

    // ---- depthwise ------------------------------------------------------------------------------
    @Test void depthwise3x3s1EdgesAroundTheWarp() {
        for (int c : new int[] {31, 32, 33})
            check("dw 3x3 s1 c" + c, conv(c, c, 3, 1, 1, c).withBias(true).withAct(Activation.RELU6), 2, 7, 5, 0, 0, ConvLauncher.Family.DEPTHWISE);
    }

    @Test void depthwise3x3s2OddSizes() {
        check("dw 3x3 s2 9x9", conv(17, 17, 3, 2, 1, 17).withAct(Activation.RELU), 1, 9, 9, 0, 0, ConvLauncher.Family.DEPTHWISE);
        check("dw 3x3 s2 13x11 batch 2", conv(16, 16, 3, 2, 1, 16), 2, 13, 11, 0, 0, ConvLauncher.Family.DEPTHWISE);
    }

    @Test void depthwiseMobileNetV2Block() {
        // MobileNetV2 dw 144 ch, stride 2 (56 -> 28 in the net; 14 -> 7 here); stride 1 with residual-free ReLU6
        check("mbv2 dw 144 s2", conv(144, 144, 3, 2, 1, 144).withBias(true).withAct(Activation.RELU6), 1, 14, 14, 0, 0, ConvLauncher.Family.DEPTHWISE);
        check("mbv2 dw 144 s1", conv(144, 144, 3, 1, 1, 144).withBias(true).withAct(Activation.RELU6), 1, 7, 7, 0, 0, ConvLauncher.Family.DEPTHWISE);
    }

    @Test void depthwiseGenericAndFusions() {
        check("dw 5x5 generic", conv(15, 15, 5, 1, 2, 15).withBias(true), 1, 11, 11, 0, 0, ConvLauncher.Family.DEPTHWISE);
        check("dw 3x3 s3 generic", conv(8, 8, 3, 3, 0, 8), 2, 10, 10, 0, 0, ConvLauncher.Family.DEPTHWISE);
        check("dw prologue residual slices", conv(24, 24, 3, 1, 1, 24).withResidual(true).withInputBnRelu(true).withAct(Activation.RELU),
            2, 6, 6, 4, 3, ConvLauncher.Family.DEPTHWISE);
    }

    // ---- grouped / dense direct conv -----------------------------------------------------------
    @Test void resnextGroups32() {
        check("resnext g32 128 3x3", conv(128, 128, 3, 1, 1, 32).withBias(true).withAct(Activation.RELU), 1, 7, 7, 0, 0, ConvLauncher.Family.GROUPED);
        check("resnext g32 64 3x3 s2 odd batch 2", conv(64, 64, 3, 2, 1, 32).withBias(true).withAct(Activation.RELU), 2, 9, 9, 0, 0, ConvLauncher.Family.GROUPED);
    }

    @Test void denseNet3x3WritesIntoBlockBuffer() {
        // DenseNet layer: 3x3 p1 128 -> 32 written as channels [64, 96) of the block buffer
        check("densenet 3x3 128->32", conv(128, 32, 3, 1, 1, 1), 1, 6, 6, 0, 64, ConvLauncher.Family.GROUPED);
    }

    @Test void stems() {
        check("7x7 s2 p3 stem (DenseNet/ResNeXt)", conv(3, 64, 7, 2, 3, 1).withBias(true).withAct(Activation.RELU), 1, 23, 23, 0, 0, ConvLauncher.Family.GROUPED);
        check("SqueezeNet 1.0 7x7 s2 p0", conv(3, 96, 7, 2, 0, 1).withBias(true).withAct(Activation.RELU), 1, 21, 21, 0, 0, ConvLauncher.Family.GROUPED);
        check("3x3 s2 p1 stem (MobileNet)", conv(3, 32, 3, 2, 1, 1).withBias(true).withAct(Activation.RELU6), 2, 17, 17, 0, 0, ConvLauncher.Family.GROUPED);
        check("SqueezeNet 1.1 3x3 s2 p0", conv(3, 64, 3, 2, 0, 1).withBias(true).withAct(Activation.RELU), 1, 15, 15, 0, 0, ConvLauncher.Family.GROUPED);
    }

    @Test void denseConvAllFusions() {
        check("3x3 16->15 prologue residual slices", conv(16, 15, 3, 1, 1, 1).withBias(true).withResidual(true).withInputBnRelu(true)
            .withAct(Activation.RELU), 2, 11, 13, 2, 1, ConvLauncher.Family.GROUPED);
        check("3x3 g2 33->34 p0", conv(34, 34, 3, 1, 0, 2), 1, 5, 5, 0, 0, ConvLauncher.Family.GROUPED);
        check("3x3 one block of 256+ pixels", conv(4, 3, 3, 1, 1, 1), 1, 17, 17, 0, 0, ConvLauncher.Family.GROUPED);
    }

    // ---- pointwise GEMM ------------------------------------------------------------------------
    @Test void pointwiseEdges() {
        check("1x1 31->33", conv(31, 33, 1, 1, 0, 1).withBias(true).withAct(Activation.RELU), 2, 5, 7, 0, 0, ConvLauncher.Family.POINTWISE);
        check("1x1 64->65 81 px residual", conv(64, 65, 1, 1, 0, 1).withResidual(true).withAct(Activation.RELU), 1, 9, 9, 0, 0, ConvLauncher.Family.POINTWISE);
        check("1x1 17->16", conv(17, 16, 1, 1, 0, 1), 1, 3, 3, 0, 0, ConvLauncher.Family.POINTWISE);
    }

    @Test void pointwiseDenseNetPrologue() {
        // DenseNet bottleneck: BN-ReLU of the first 40 channels of the block buffer, 1x1 40 -> 128
        check("densenet 1x1 prologue", conv(40, 128, 1, 1, 0, 1).withInputBnRelu(true), 1, 6, 6, 1, 0, ConvLauncher.Family.POINTWISE);
        check("densenet 1x1 prologue batch 2", conv(40, 128, 1, 1, 0, 1).withInputBnRelu(true).withBias(true).withAct(Activation.RELU),
            2, 5, 5, 1, 0, ConvLauncher.Family.POINTWISE);
    }

    @Test void pointwiseShuffleNetV1Grouped() {
        check("shufflenet v1 g3 240->60", conv(240, 60, 1, 1, 0, 3).withBias(true).withAct(Activation.RELU), 1, 7, 7, 0, 0, ConvLauncher.Family.POINTWISE);
        check("shufflenet v1 g3 60->240 residual", conv(60, 240, 1, 1, 0, 3).withBias(true).withResidual(true).withAct(Activation.RELU),
            1, 7, 7, 0, 0, ConvLauncher.Family.POINTWISE);
    }

    @Test void pointwiseStride2AndProjection() {
        check("resnext shortcut 1x1 s2 odd", conv(64, 128, 1, 2, 0, 1).withBias(true), 1, 9, 9, 0, 0, ConvLauncher.Family.POINTWISE);
        check("mbv2 projection 144->24 residual", conv(144, 24, 1, 1, 0, 1).withBias(true).withResidual(true), 1, 7, 7, 0, 0, ConvLauncher.Family.POINTWISE);
    }

    @Test void rejectsBadArguments() {
        Conv2d op = conv(8, 8, 1, 1, 0, 1);
        try (DeviceTensor in = poisoned(Shape.nchw(1, 8, 4, 4)); DeviceTensor w = poisoned(Shape.of(8, 4, 1, 1));
             DeviceTensor out = poisoned(Shape.nchw(1, 8, 4, 4))) {
            var e = assertThrows(IllegalArgumentException.class, () -> CONV.conv2d(op, in, w, null, null, null, null, out));
            assertEquals("conv2d: weight has shape [8, 4, 1, 1], expected [8, 8, 1, 1]", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> CONV.conv2d(op.withBias(true), in, in, null, null, null, null, out));
        }
    }
}
