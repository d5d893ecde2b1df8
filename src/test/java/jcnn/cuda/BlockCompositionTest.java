package jcnn.cuda;

import java.util.SplittableRandom;
import jcnn.ops.Activation;
import jcnn.ops.Conv2d;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jcnn.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Kernels chained the way the executor will chain them, checked against the chained references:
 * a DenseNet block done in place (each layer reads the first c channels of the block buffer
 * through the 1x1's BN-ReLU prologue and writes its k channels into the next slice of it).
 * Each step's reference starts from the device's previous output, so tolerances stay per-op.
 */
class BlockCompositionTest extends EmuTestBase {
    static final ConvLauncher CONV = new ConvLauncher(DEV);

    @AfterAll static void closeLauncher() { CONV.close(); }

    @Test void denseNetBlockInPlace() {
        long seed = TestData.freshSeed();
        SplittableRandom r = new SplittableRandom(seed);
        int c0 = 16, k = 8, layers = 3, bott = 4 * k, n = 2, hw = 5;
        Shape block = Shape.nchw(n, c0 + layers * k, hw, hw);
        try (Tensor stem = random(Shape.nchw(n, c0, hw, hw), r); DeviceTensor buf = poisoned(block);
             DeviceTensor mid = poisoned(Shape.nchw(n, bott, hw, hw))) {
            buf.channelSlice(0, c0).copyFrom(stem);
            for (int i = 0; i < layers; i++) {
                int c = c0 + i * k;
                Conv2d squeeze = Conv2d.of(c, bott, 1, 1, 0, 1).withInputBnRelu(true).withBias(true).withAct(Activation.RELU);
                Conv2d grow = Conv2d.of(bott, k, 3, 1, 1, 1);
                try (Tensor sc = random(Shape.of(c), r, 0.5f, 1.5f); Tensor sh = random(Shape.of(c), r, -0.5f, 0.5f);
                     Tensor w1 = random(squeeze.weightShape(), r, -0.3f, 0.3f); Tensor b1 = random(Shape.of(bott), r);
                     Tensor w2 = random(grow.weightShape(), r, -0.3f, 0.3f);
                     DeviceTensor dSc = up(sc); DeviceTensor dSh = up(sh); DeviceTensor dW1 = up(w1); DeviceTensor dB1 = up(b1);
                     DeviceTensor dW2 = up(w2); Tensor ref1 = TestData.output(mid.shape()); Tensor ref2 = TestData.output(Shape.nchw(n, k, hw, hw))) {
                    DeviceTensor in = buf.channelSlice(0, c), out = buf.channelSlice(c, k);
                    try (Tensor hin = in.download()) { squeeze.reference(hin, w1, b1, null, sc, sh, ref1); }
                    CONV.conv2d(squeeze, in, dW1, dB1, null, dSc, dSh, mid);
                    close("dense layer " + i + " 1x1", seed, c, ref1, mid);
                    try (Tensor hmid = mid.download()) { grow.reference(hmid, w2, null, null, null, null, ref2); }
                    CONV.conv2d(grow, mid, dW2, null, null, null, null, out);
                    close("dense layer " + i + " 3x3 into slice [" + c + ", " + (c + k) + ")", seed, 9L * bott, ref2, out);
                }
            }
            // the stem's channels were never overwritten by the layers writing into the same buffer
            exact("block buffer keeps the stem channels", seed, stem, buf.channelSlice(0, c0));
        }
    }

    @Test void resnextBottleneckWithFusedResidual() {
        long seed = TestData.freshSeed();
        SplittableRandom r = new SplittableRandom(seed);
        int cin = 64, width = 64, hw = 7;
        Conv2d reduce = Conv2d.of(cin, width, 1, 1, 0, 1).withBias(true).withAct(Activation.RELU);
        Conv2d grouped = Conv2d.of(width, width, 3, 1, 1, 32).withBias(true).withAct(Activation.RELU);
        Conv2d expand = Conv2d.of(width, cin, 1, 1, 0, 1).withBias(true).withResidual(true).withAct(Activation.RELU);
        Shape s = Shape.nchw(1, cin, hw, hw), m = Shape.nchw(1, width, hw, hw);
        try (Tensor x = random(s, r); DeviceTensor dx = up(x); DeviceTensor t1 = poisoned(m); DeviceTensor t2 = poisoned(m);
             DeviceTensor y = poisoned(s)) {
            Conv2d[] ops = {reduce, grouped, expand};
            DeviceTensor[] ins = {dx, t1, t2}, outs = {t1, t2, y};
            for (int i = 0; i < 3; i++) {
                Conv2d op = ops[i];
                try (Tensor w = random(op.weightShape(), r, -0.3f, 0.3f); Tensor b = random(Shape.of(op.outC()), r);
                     DeviceTensor dw = up(w); DeviceTensor db = up(b); Tensor hin = ins[i].download();
                     Tensor ref = TestData.output(outs[i].shape())) {
                    op.reference(hin, w, b, op.residual() ? x : null, null, null, ref);
                    CONV.conv2d(op, ins[i], dw, db, op.residual() ? dx : null, null, null, outs[i]);
                    close("resnext bottleneck step " + i + " " + op, seed, (long) (op.inC() / op.groups()) * op.kernel() * op.kernel(), ref, outs[i]);
                }
            }
        }
    }
}
