package jcnn.exec;

import static jcnn.exec.Gemm.F;

import java.lang.foreign.MemorySegment;
import jcnn.compile.NativeWeights;
import jcnn.compile.Scratch;
import jcnn.compile.Step;
import jcnn.graph.Node;
import jcnn.ops.Activation;
import jcnn.ops.Conv2d;
import jcnn.tensor.Tensor;

/**
 * A dense or grouped conv as one {@link Gemm} per (image, group): the weight [outC, inC/g, k, k] is
 * already the row-major A of shape [cog, cig*k*k] per group. B is the input itself for a 1x1
 * stride-1 conv; the input after {@code relu(x*s+t)} in scratch when the conv carries DenseNet's
 * BN-ReLU prologue (one pass over the input, not one per output channel); otherwise im2col rows
 * in scratch ({@code [cig*k*k, OH*OW]}, zeros where the window leaves the input). Bias, residual
 * and activation are applied as the outputs are stored.
 */
final class ConvStep implements Step {
    private final Conv2d op;
    private final Tensor in, res, out;
    private final MemorySegment w, bias, inScale, inShift;
    private final Scratch scratch;
    private final int cig, cog, K, H, W, OH, OW;
    private final boolean direct;

    ConvStep(Node node, Conv2d op, Tensor in, Tensor res, Tensor out, NativeWeights nw, Scratch scratch) {
        op.checkArgs(in, nw.tensor(node.weightKey("weight")), op.bias() ? nw.tensor(node.weightKey("bias")) : null, res,
            op.inputBnRelu() ? nw.tensor(node.weightKey("in_scale")) : null, op.inputBnRelu() ? nw.tensor(node.weightKey("in_shift")) : null, out);
        this.op = op;
        this.in = in;
        this.res = res;
        this.out = out;
        this.scratch = scratch;
        w = nw.tensor(node.weightKey("weight")).segment();
        bias = op.bias() ? nw.tensor(node.weightKey("bias")).segment() : nw.arena().allocate(4L * op.outC(), 64);
        inScale = op.inputBnRelu() ? nw.tensor(node.weightKey("in_scale")).segment() : null;
        inShift = op.inputBnRelu() ? nw.tensor(node.weightKey("in_shift")).segment() : null;
        cig = op.inC() / op.groups();
        cog = op.outC() / op.groups();
        K = cig * op.kernel() * op.kernel();
        H = in.h(); W = in.w(); OH = out.h(); OW = out.w();
        direct = op.isPointwise();
        if (op.inputBnRelu()) scratch.require(4L * op.inC() * H * W);
        if (op.inputBnRelu() && !direct) throw new IllegalArgumentException(node.name() + ": input prologue needs a 1x1 stride-1 conv");
        if (!direct) scratch.require(4L * K * OH * OW);
    }

    @Override
    public void run() {
        MemorySegment src = in.segment(), dst = out.segment(), rs = res == null ? null : res.segment(), sc = scratch.segment();
        long hw = (long) H * W, ohw = (long) OH * OW;
        for (int n = 0; n < in.n(); n++) {
            long inBase = n * in.batchStride(), outBase = n * out.batchStride(), resBase = res == null ? 0 : n * res.batchStride();
            MemorySegment b = src;
            long bBase = inBase;
            if (inScale != null) {
                prologue(src, inBase, sc, op.inC(), hw);
                b = sc;
                bBase = 0;
            }
            for (int g = 0; g < op.groups(); g++) {
                long bOff;
                MemorySegment bs;
                if (direct) {
                    bs = b;
                    bOff = bBase + g * cig * hw;
                } else {
                    im2col(src, inBase + g * cig * hw, sc);
                    bs = sc;
                    bOff = 0;
                }
                Gemm.run(w, (long) g * cog * K, cog, K, bs, bOff, direct ? hw : ohw, (int) ohw,
                    dst, outBase + g * cog * ohw, ohw, bias, (long) g * cog, rs, resBase + g * cog * ohw, ohw, op.act());
            }
        }
    }

    private void prologue(MemorySegment src, long base, MemorySegment dst, int C, long hw) {
        for (int c = 0; c < C; c++) {
            float s = inScale.getAtIndex(F, c), t = inShift.getAtIndex(F, c);
            Elementwise.affine(src, base + c * hw, dst, c * hw, hw, s, t, Activation.RELU);
        }
    }

    private void im2col(MemorySegment src, long base, MemorySegment col) {
        int k = op.kernel(), s = op.stride(), pad = op.pad();
        long row = 0;
        for (int c = 0; c < cig; c++) {
            long ch = base + (long) c * H * W;
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++, row += (long) OH * OW) {
                    for (int oy = 0; oy < OH; oy++) {
                        int iy = oy * s - pad + ky;
                        long o = row + (long) oy * OW;
                        if (iy < 0 || iy >= H) {
                            for (int ox = 0; ox < OW; ox++) col.setAtIndex(F, o + ox, 0f);
                            continue;
                        }
                        long irow = ch + (long) iy * W;
                        // ox range whose ix = ox*s - pad + kx lies inside [0, W)
                        int lo = Math.max(0, Math.ceilDiv(pad - kx, s)), hi = Math.min(OW, Math.floorDiv(W - 1 + pad - kx, s) + 1);
                        for (int ox = 0; ox < Math.min(lo, OW); ox++) col.setAtIndex(F, o + ox, 0f);
                        if (s == 1 && hi > lo) {
                            MemorySegment.copy(src, (irow + lo - pad + kx) * 4, col, (o + lo) * 4, (long) (hi - lo) * 4);
                        } else {
                            for (int ox = lo; ox < hi; ox++) col.setAtIndex(F, o + ox, src.getAtIndex(F, irow + (long) ox * s - pad + kx));
                        }
                        for (int ox = Math.max(hi, lo); ox < OW; ox++) col.setAtIndex(F, o + ox, 0f);
                    }
                }
        }
    }
}
