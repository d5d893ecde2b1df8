package jcnn.cuda;

import java.util.SplittableRandom;
import jcnn.ops.Act;
import jcnn.ops.Activation;
import jcnn.ops.Add;
import jcnn.ops.ChannelAffine;
import jcnn.ops.ChannelShuffle;
import jcnn.ops.Concat;
import jcnn.ops.Slice;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jcnn.testing.Compare;
import jcnn.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** bn_relu, eltwise, channel_shuffle and concat kernels on the emulator against the ops' references. */
class ElementwiseKernelsTest extends EmuTestBase {
    static final BnReluLauncher BN = new BnReluLauncher(DEV);
    static final EltwiseLauncher ELT = new EltwiseLauncher(DEV);
    static final ChannelShuffleLauncher SHUF = new ChannelShuffleLauncher(DEV);
    static final ConcatLauncher CAT = new ConcatLauncher(DEV);

    @AfterAll static void closeLaunchers() { BN.close(); ELT.close(); SHUF.close(); CAT.close(); }

    @Test void channelAffine() {
        for (Activation act : Activation.values())
            for (int c : new int[] {15, 16, 17}) {
                long seed = TestData.freshSeed();
                SplittableRandom r = new SplittableRandom(seed);
                ChannelAffine op = new ChannelAffine(c, act);
                Shape s = Shape.nchw(2, c, 7, 5);
                try (Tensor whole = random(s.withC(c + 4), r, -4f, 8f); Tensor sc = random(Shape.of(c), r, 0.5f, 1.5f);
                     Tensor sh = random(Shape.of(c), r); Tensor ref = TestData.output(s);
                     DeviceTensor dWhole = up(whole); DeviceTensor dSc = up(sc); DeviceTensor dSh = up(sh);
                     Slot out = Slot.of(s, 2, 1)) {
                    Tensor in = whole.channelSlice(3, c);
                    op.reference(in, sc, sh, ref);
                    BN.channelAffine(op, dWhole.channelSlice(3, c), dSc, dSh, out.view());
                    close("bn_relu " + act + " c" + c, seed, 1, ref, out.view());
                    out.assertOutsideUntouched("bn_relu");
                }
            }
    }

    @Test void addAndAct() {
        for (Activation act : Activation.values()) {
            long seed = TestData.freshSeed();
            SplittableRandom r = new SplittableRandom(seed);
            Shape s = Shape.nchw(2, 33, 5, 3);
            try (Tensor a = random(s, r, -4f, 5f); Tensor bWhole = random(s.withC(40), r, -4f, 5f);
                 Tensor ref = TestData.output(s); Tensor ref2 = TestData.output(s);
                 DeviceTensor dA = up(a); DeviceTensor dB = up(bWhole); Slot out = Slot.of(s, 1, 1); Slot out2 = Slot.of(s, 0, 0)) {
                Tensor b = bWhole.channelSlice(7, 33);
                new Add(act).reference(a, b, ref);
                ELT.add(new Add(act), dA, dB.channelSlice(7, 33), out.view());
                exact("add " + act, seed, ref, out.view());
                out.assertOutsideUntouched("add");
                new Act(act).reference(b, ref2);
                ELT.act(new Act(act), dB.channelSlice(7, 33), out2.view());
                exact("act " + act, seed, ref2, out2.view());
            }
        }
    }

    @Test void channelShuffle() {
        int[][] cases = {{12, 3, 1, 5, 5}, {48, 2, 2, 7, 7}, {240, 3, 1, 3, 3}, {34, 2, 2, 4, 4}};
        for (int[] k : cases) {
            long seed = TestData.freshSeed();
            SplittableRandom r = new SplittableRandom(seed);
            ChannelShuffle op = new ChannelShuffle(k[1]);
            Shape s = Shape.nchw(k[2], k[0], k[3], k[4]);
            try (Tensor whole = random(s.withC(k[0] + 6), r); Tensor ref = TestData.output(s);
                 DeviceTensor dWhole = up(whole); Slot out = Slot.of(s, 2, 2)) {
                op.reference(whole.channelSlice(6, k[0]), ref);
                SHUF.shuffle(op, dWhole.channelSlice(6, k[0]), out.view());
                exact("shuffle c" + k[0] + " g" + k[1], seed, ref, out.view());
                out.assertOutsideUntouched("shuffle");
            }
        }
    }

    @Test void concatAndSlice() {
        for (int hw : new int[] {7, 8}) { // 7x7: scalar copy; 8x8: float4 copy (aligned offsets)
            long seed = TestData.freshSeed();
            SplittableRandom r = new SplittableRandom(seed);
            Shape s0 = Shape.nchw(2, 5, hw, hw), s1 = Shape.nchw(2, 16, hw, hw), s2 = Shape.nchw(2, 7, hw, hw);
            Shape os = s0.withC(28);
            try (Tensor a = random(s0, r); Tensor b = random(s1, r); Tensor c = random(s2, r); Tensor ref = TestData.output(os);
                 DeviceTensor dA = up(a); DeviceTensor dB = up(b); DeviceTensor dC = up(c); Slot out = Slot.of(os, 4, 0)) {
                new Concat().reference(new Tensor[] {a, b, c}, ref);
                CAT.concat(new Concat(), new DeviceTensor[] {dA, dB, dC}, out.view());
                exact("concat " + hw, seed, ref, out.view());
                out.assertOutsideUntouched("concat");
                Slice sl = new Slice(9, 14);
                try (Tensor sref = TestData.output(sl.outputShape(os)); Slot sout = Slot.of(sl.outputShape(os), 0, 0)) {
                    sl.reference(ref, sref);
                    CAT.slice(sl, out.view(), sout.view());
                    exact("slice " + hw, seed, sref, sout.view());
                }
            }
        }
    }
}
