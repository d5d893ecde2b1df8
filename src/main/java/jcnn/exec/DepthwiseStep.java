package jcnn.exec;

import static jcnn.exec.Gemm.F;
import static jcnn.exec.Gemm.NO;
import static jcnn.exec.Gemm.S;
import static jcnn.exec.Gemm.V;

import java.lang.foreign.MemorySegment;
import jcnn.compile.NativeWeights;
import jcnn.compile.Step;
import jcnn.graph.Node;
import jcnn.ops.Conv2d;
import jcnn.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Depthwise conv (groups = C), one channel plane at a time. For stride 1 the interior columns of a
 * row (every tap inside the input) are vectorised across output columns; borders and stride 2 are
 * scalar with the taps clipped to the input. Epilogue: bias, residual, activation.
 */
final class DepthwiseStep implements Step {
    private final Conv2d op;
    private final Tensor in, res, out;
    private final MemorySegment w, bias;

    DepthwiseStep(Node node, Conv2d op, Tensor in, Tensor res, Tensor out, NativeWeights nw) {
        op.checkArgs(in, nw.tensor(node.weightKey("weight")), op.bias() ? nw.tensor(node.weightKey("bias")) : null, res, null, null, out);
        if (op.inputBnRelu()) throw new IllegalArgumentException(node.name() + ": depthwise conv with input prologue");
        this.op = op;
        this.in = in;
        this.res = res;
        this.out = out;
        w = nw.tensor(node.weightKey("weight")).segment();
        bias = op.bias() ? nw.tensor(node.weightKey("bias")).segment() : nw.arena().allocate(4L * op.outC(), 64);
    }

    @Override
    public void run() {
        int C = op.outC(), k = op.kernel(), s = op.stride(), pad = op.pad();
        boolean relu = op.act() != jcnn.ops.Activation.NONE, six = op.act() == jcnn.ops.Activation.RELU6;
        int H = in.h(), W = in.w(), OH = out.h(), OW = out.w();
        MemorySegment src = in.segment(), dst = out.segment(), rs = res == null ? null : res.segment();
        // output columns whose whole window is inside the input
        int lo = Math.min(OW, Math.max(0, Math.ceilDiv(pad, s))), hi = Math.max(lo, Math.min(OW, Math.floorDiv(W - k + pad, s) + 1));
        for (int n = 0; n < in.n(); n++) {
            for (int c = 0; c < C; c++) {
                long ip = n * in.batchStride() + (long) c * H * W, op0 = n * out.batchStride() + (long) c * OH * OW;
                long rp = res == null ? 0 : n * res.batchStride() + (long) c * OH * OW;
                long wp = (long) c * k * k;
                float b = bias.getAtIndex(F, c);
                for (int oy = 0; oy < OH; oy++) {
                    int iy0 = oy * s - pad;
                    int kyLo = Math.max(0, -iy0), kyHi = Math.min(k, H - iy0);
                    long orow = op0 + (long) oy * OW, rrow = rp + (long) oy * OW;
                    int ox = 0;
                    for (; ox < lo; ox++) scalar(src, ip, W, iy0, kyLo, kyHi, ox * s - pad, k, wp, b, dst, orow + ox, rs, rrow + ox);
                    if (s == 1) {
                        for (; ox + V <= hi; ox += V) {
                            FloatVector acc = FloatVector.broadcast(S, b);
                            for (int ky = kyLo; ky < kyHi; ky++) {
                                long irow = ip + (long) (iy0 + ky) * W + ox - pad;
                                for (int kx = 0; kx < k; kx++) {
                                    acc = FloatVector.fromMemorySegment(S, src, (irow + kx) * 4, NO).fma(FloatVector.broadcast(S, w.getAtIndex(F, wp + ky * k + kx)), acc);
                                }
                            }
                            if (rs != null) acc = acc.add(FloatVector.fromMemorySegment(S, rs, (rrow + ox) * 4, NO));
                            if (relu) acc = acc.lanewise(VectorOperators.MAX, 0f);
                            if (six) acc = acc.lanewise(VectorOperators.MIN, 6f);
                            acc.intoMemorySegment(dst, (orow + ox) * 4, NO);
                        }
                    }
                    for (; ox < OW; ox++) scalar(src, ip, W, iy0, kyLo, kyHi, ox * s - pad, k, wp, b, dst, orow + ox, rs, rrow + ox);
                }
            }
        }
    }

    private void scalar(MemorySegment src, long ip, int W, int iy0, int kyLo, int kyHi, int ix0, int k, long wp, float b,
                        MemorySegment dst, long o, MemorySegment rs, long r) {
        float acc = b;
        int kxLo = Math.max(0, -ix0), kxHi = Math.min(k, W - ix0);
        for (int ky = kyLo; ky < kyHi; ky++) {
            long irow = ip + (long) (iy0 + ky) * W + ix0;
            for (int kx = kxLo; kx < kxHi; kx++) acc += w.getAtIndex(F, wp + ky * k + kx) * src.getAtIndex(F, irow + kx);
        }
        if (rs != null) acc += rs.getAtIndex(F, r);
        dst.setAtIndex(F, o, op.act().apply(acc));
    }
}
