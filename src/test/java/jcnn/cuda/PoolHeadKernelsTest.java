package jcnn.cuda;

import java.util.SplittableRandom;
import jcnn.ops.AvgPool;
import jcnn.ops.GlobalAvgPool;
import jcnn.ops.Linear;
import jcnn.ops.MaxPool;
import jcnn.ops.Softmax;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jcnn.testing.Compare;
import jcnn.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** pool, linear and softmax kernels on the emulator against the ops' references. */
class PoolHeadKernelsTest extends EmuTestBase {
    static final PoolLauncher POOL = new PoolLauncher(DEV);
    static final LinearLauncher HEAD = new LinearLauncher(DEV);
    static final SoftmaxLauncher SOFTMAX = new SoftmaxLauncher(DEV);

    @AfterAll static void closeLaunchers() { POOL.close(); HEAD.close(); SOFTMAX.close(); }

    interface Run { void run(DeviceTensor in, DeviceTensor out); }
    interface Ref { void run(Tensor in, Tensor out); }

    /** Input as a channel slice (batch stride > C*H*W), output in a slot; exact or close(reduction). */
    static void check(String what, Shape inS, Shape outS, Ref ref, Run run, long reduction) {
        long seed = TestData.freshSeed();
        SplittableRandom r = new SplittableRandom(seed);
        try (Tensor whole = random(inS.withC(inS.c() + 3), r, -3f, 3f); Tensor expect = TestData.output(outS);
             DeviceTensor dWhole = up(whole); Slot out = Slot.of(outS, outS.rank() == 4 ? 1 : 0, 0)) {
            ref.run(whole.channelSlice(2, inS.c()), expect);
            run.run(dWhole.channelSlice(2, inS.c()), out.view());
            if (reduction == 0) exact(what, seed, expect, out.view());
            else close(what, seed, reduction, expect, out.view());
            out.assertOutsideUntouched(what);
        }
    }

    @Test void maxPool() {
        int[][] cases = { // C, H, k, s, p, ceil, N
            {16, 13, 3, 2, 0, 1, 1}, {96, 14, 3, 2, 0, 1, 1}, {24, 15, 3, 2, 1, 0, 2}, {33, 14, 3, 2, 1, 0, 1}, {8, 8, 2, 2, 0, 0, 1}};
        for (int[] k : cases) {
            MaxPool op = new MaxPool(k[2], k[3], k[4], k[5] == 1);
            Shape in = Shape.nchw(k[6], k[0], k[1], k[1]);
            check("maxpool " + op + " " + in, in, op.outputShape(in), op::reference, (a, b) -> POOL.maxPool(op, a, b), 0);
        }
    }

    @Test void avgPool() {
        int[][] cases = { // C, H, k, s, p, ceil, countPad, N
            {24, 9, 3, 2, 1, 0, 1, 2}, {12, 8, 2, 2, 0, 0, 0, 1}, {17, 7, 3, 1, 1, 0, 0, 1}, {10, 10, 3, 2, 1, 1, 1, 1}, {5, 11, 3, 2, 1, 1, 0, 1}};
        for (int[] k : cases) {
            AvgPool op = new AvgPool(k[2], k[3], k[4], k[5] == 1, k[6] == 1);
            Shape in = Shape.nchw(k[7], k[0], k[1], k[1]);
            check("avgpool " + op + " " + in, in, op.outputShape(in), op::reference, (a, b) -> POOL.avgPool(op, a, b), (long) k[2] * k[2]);
        }
    }

    @Test void globalAvgPool() {
        for (int c : new int[] {7, 31, 32, 33}) {
            GlobalAvgPool op = new GlobalAvgPool();
            Shape in = Shape.nchw(2, c, 7, 7);
            check("global avgpool c" + c, in, op.outputShape(in), op::reference, (a, b) -> POOL.globalAvgPool(op, a, b), 49);
        }
    }

    @Test void linear() {
        int[][] cases = {{96, 33, 0, 1}, {257, 17, 1, 2}, {64, 40, 1, 2}, {1024, 100, 1, 1}}; // in, out, bias, N
        for (int[] k : cases) {
            long seed = TestData.freshSeed();
            SplittableRandom r = new SplittableRandom(seed);
            Linear op = new Linear(k[0], k[1], k[2] == 1);
            // the 64-feature case comes flattened from an NCHW [N, 16, 2, 2] channel slice (batch stride > 64)
            boolean nchw = k[0] == 64;
            Shape xs = nchw ? Shape.nchw(k[3], 16, 2, 2) : Shape.of(k[3], k[0]);
            try (Tensor whole = random(nchw ? xs.withC(20) : xs, r); Tensor w = random(Shape.of(k[1], k[0]), r);
                 Tensor b = op.bias() ? random(Shape.of(k[1]), r) : null; Tensor ref = TestData.output(Shape.of(k[3], k[1]));
                 DeviceTensor dWhole = up(whole); DeviceTensor dW = up(w); DeviceTensor dB = b == null ? null : up(b);
                 DeviceTensor out = poisoned(Shape.of(k[3], k[1]))) {
                Tensor x = nchw ? whole.channelSlice(4, 16) : whole;
                op.reference(x, w, b, ref);
                HEAD.linear(op, nchw ? dWhole.channelSlice(4, 16) : dWhole, dW, dB, out);
                close("linear " + op, seed, k[0], ref, out);
            }
        }
    }

    @Test void softmax() {
        for (int[] k : new int[][] {{1000, 2}, {33, 1}, {1, 1}, {257, 3}}) {
            Shape s = Shape.nchw(k[1], k[0], 1, 1);
            Softmax op = new Softmax();
            long seed = TestData.freshSeed();
            SplittableRandom r = new SplittableRandom(seed);
            try (Tensor x = random(s, r, -8f, 8f); Tensor ref = TestData.output(s); DeviceTensor dX = up(x); DeviceTensor out = poisoned(s)) {
                op.reference(x, ref);
                SOFTMAX.softmax(op, dX, out);
                close("softmax K=" + k[0], seed, k[0], ref, out);
            }
        }
    }
}
