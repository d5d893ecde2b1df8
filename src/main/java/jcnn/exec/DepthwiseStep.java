package jcnn.exec;

import static jcnn.exec.Gemm.F;

import java.lang.foreign.MemorySegment;
import jcnn.compile.NativeWeights;
import jcnn.compile.Step;
import jcnn.graph.Node;
import jcnn.ops.Activation;
import jcnn.ops.Conv2d;
import jcnn.tensor.Tensor;

/**
 * Depthwise conv (groups = C), one channel plane at a time. The plane is copied into a zero-padded
 * heap buffer (its border stays zero from plan time), so the tap loops need no clipping; each
 * output row accumulates {@code row[ox] += w * plane[(oy*s+ky)*PW + ox*s + kx]} in a heap row
 * (C2 vectorises the stride-1 loop), then bias, residual and activation are applied as the row is
 * copied out. The buffers are per step, made at plan time; runs are serialised by the model.
 */
final class DepthwiseStep implements Step {
    private final Conv2d op;
    private final Tensor in, res, out;
    private final float[] w, bias, plane, row, resRow;
    private final int PW;

    DepthwiseStep(Node node, Conv2d op, Tensor in, Tensor res, Tensor out, NativeWeights nw) {
        op.checkArgs(in, nw.tensor(node.weightKey("weight")), op.bias() ? nw.tensor(node.weightKey("bias")) : null, res, null, null, out);
        if (op.inputBnRelu()) throw new IllegalArgumentException(node.name() + ": depthwise conv with input prologue");
        this.op = op;
        this.in = in;
        this.res = res;
        this.out = out;
        w = nw.values(node.weightKey("weight")).clone();
        bias = op.bias() ? nw.values(node.weightKey("bias")).clone() : new float[op.outC()];
        PW = in.w() + 2 * op.pad() + op.stride(); // slack so ox*s + kx never leaves the row
        plane = new float[(in.h() + 2 * op.pad() + op.stride()) * PW];
        row = new float[out.w()];
        resRow = new float[out.w()];
    }

    @Override
    public void run() {
        int C = op.outC(), k = op.kernel(), s = op.stride(), pad = op.pad();
        int H = in.h(), W = in.w(), OH = out.h(), OW = out.w();
        Activation act = op.act();
        MemorySegment src = in.segment(), dst = out.segment();
        for (int n = 0; n < in.n(); n++) {
            for (int c = 0; c < C; c++) {
                long ip = n * in.batchStride() + (long) c * H * W, o0 = n * out.batchStride() + (long) c * OH * OW;
                long r0 = res == null ? 0 : n * res.batchStride() + (long) c * OH * OW;
                for (int y = 0; y < H; y++) MemorySegment.copy(src, F, (ip + (long) y * W) * 4, plane, (y + pad) * PW + pad, W);
                int wc = c * k * k;
                float b = bias[c];
                for (int oy = 0; oy < OH; oy++) {
                    java.util.Arrays.fill(row, b);
                    for (int ky = 0; ky < k; ky++) {
                        int base = (oy * s + ky) * PW;
                        for (int kx = 0; kx < k; kx++) {
                            float wv = w[wc + ky * k + kx];
                            int at = base + kx;
                            if (s == 1) {
                                for (int ox = 0; ox < OW; ox++) row[ox] += wv * plane[at + ox];
                            } else {
                                for (int ox = 0; ox < OW; ox++) row[ox] += wv * plane[at + ox * s];
                            }
                        }
                    }
                    if (res != null) {
                        MemorySegment.copy(res.segment(), F, (r0 + (long) oy * OW) * 4, resRow, 0, OW);
                        for (int ox = 0; ox < OW; ox++) row[ox] += resRow[ox];
                    }
                    switch (act) {
                        case NONE -> { }
                        case RELU -> { for (int ox = 0; ox < OW; ox++) row[ox] = Math.max(row[ox], 0f); }
                        case RELU6 -> { for (int ox = 0; ox < OW; ox++) row[ox] = Math.min(Math.max(row[ox], 0f), 6f); }
                    }
                    MemorySegment.copy(row, 0, dst, F, (o0 + (long) oy * OW) * 4, OW);
                }
            }
        }
    }
}
