package jcnn.cpu;

import static jcnn.cpu.Vec.F;

import java.lang.foreign.MemorySegment;
import jcnn.compile.Step;
import jcnn.ops.*;
import jcnn.tensor.Tensor;

/** The light ops as steps: per-channel affine, activation, add, shuffle, pools, linear, softmax. */
final class SimpleSteps {
    private SimpleSteps() {}

    static Step affine(ChannelAffine op, Tensor in, Tensor scale, Tensor shift, Tensor out) {
        op.checkArgs(in, scale, shift, out);
        MemorySegment sc = scale.segment(), sh = shift.segment();
        long hw = (long) in.h() * in.w();
        return () -> {
            for (int n = 0; n < in.n(); n++)
                for (int c = 0; c < op.channels(); c++)
                    Elementwise.affine(in.segment(), n * in.batchStride() + c * hw, out.segment(), n * out.batchStride() + c * hw, hw,
                        sc.getAtIndex(F, c), sh.getAtIndex(F, c), op.act());
        };
    }

    static Step act(Act op, Tensor in, Tensor out) {
        long per = in.shape().size() / in.n();
        return () -> {
            for (int n = 0; n < in.n(); n++)
                Elementwise.affine(in.segment(), n * in.batchStride(), out.segment(), n * out.batchStride(), per, 1f, 0f, op.act());
        };
    }

    static Step add(Add op, Tensor a, Tensor b, Tensor out) {
        op.checkArgs(a, b, out);
        long per = a.shape().size() / a.n();
        return () -> {
            for (int n = 0; n < a.n(); n++)
                Elementwise.add(a.segment(), n * a.batchStride(), b.segment(), n * b.batchStride(), out.segment(), n * out.batchStride(), per, op.act());
        };
    }

    static Step shuffle(ChannelShuffle op, Tensor in, Tensor out) {
        int C = in.c();
        long plane = 4L * in.h() * in.w();
        return () -> {
            for (int n = 0; n < in.n(); n++)
                for (int j = 0; j < C; j++)
                    MemorySegment.copy(in.segment(), 4 * n * in.batchStride() + op.sourceChannel(j, C) * plane,
                        out.segment(), 4 * n * out.batchStride() + j * plane, plane);
        };
    }

    static Step copy(Tensor in, Tensor out) { return () -> out.copyFrom(in); }

    static Step globalAvgPool(Tensor in, Tensor out) {
        long hw = (long) in.h() * in.w();
        return () -> {
            MemorySegment src = in.segment();
            for (int n = 0; n < in.n(); n++)
                for (int c = 0; c < in.c(); c++) {
                    long ip = n * in.batchStride() + c * hw;
                    float s = 0;
                    for (long i = 0; i < hw; i++) s += src.getAtIndex(F, ip + i);
                    out.segment().setAtIndex(F, n * out.batchStride() + c, s / hw);
                }
        };
    }

    static Step linear(Linear op, Tensor x, Tensor weight, Tensor bias, Tensor y) {
        op.checkArgs(x, weight, bias, y);
        MemorySegment w = weight.segment(), b = bias == null ? null : bias.segment();
        return () -> {
            for (int n = 0; n < x.n(); n++)
                for (int o = 0; o < op.out(); o++) {
                    float s = Elementwise.dot(x.segment(), n * x.batchStride(), w, (long) o * op.in(), op.in());
                    y.segment().setAtIndex(F, n * y.batchStride() + o, b == null ? s : s + b.getAtIndex(F, o));
                }
        };
    }

    static Step softmax(Tensor x, Tensor y) {
        long K = x.shape().size() / x.n();
        return () -> {
            MemorySegment a = x.segment(), d = y.segment();
            for (int n = 0; n < x.n(); n++) {
                long bx = n * x.batchStride(), by = n * y.batchStride();
                float m = Float.NEGATIVE_INFINITY;
                for (long i = 0; i < K; i++) m = Math.max(m, a.getAtIndex(F, bx + i));
                double s = 0;
                for (long i = 0; i < K; i++) s += Math.exp(a.getAtIndex(F, bx + i) - m);
                for (long i = 0; i < K; i++) d.setAtIndex(F, by + i, (float) (Math.exp(a.getAtIndex(F, bx + i) - m) / s));
            }
        };
    }
}
