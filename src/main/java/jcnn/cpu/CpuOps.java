package jcnn.cpu;

import java.lang.foreign.MemorySegment;
import jcnn.ops.Act;
import jcnn.ops.Add;
import jcnn.ops.AvgPool;
import jcnn.ops.ChannelAffine;
import jcnn.ops.ChannelShuffle;
import jcnn.ops.Check;
import jcnn.ops.Concat;
import jcnn.ops.Conv2d;
import jcnn.ops.GlobalAvgPool;
import jcnn.ops.Linear;
import jcnn.ops.MaxPool;
import jcnn.ops.Slice;
import jcnn.ops.Softmax;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * The Vector API twin of every op in {@link jcnn.ops}, callable directly on NCHW tensors with the same
 * argument order as the op's {@code reference}. Each call checks its arguments with the op's own
 * checks (IllegalArgumentException naming the op and the value) and runs on {@link CpuPool#common()}.
 *
 * <p>These one-shot entry points allocate a small kernel object per call (and conv/linear repack their
 * weights every call); an executor running a network should use the prepared forms {@link CpuConv}
 * and {@link CpuLinear}, which allocate nothing per run. Any tensor may be a channel-slice view.
 * Thread-safety: any thread may call these; parallel regions of concurrent calls queue on the pool.
 */
public final class CpuOps {
    private CpuOps() {}

    private static CpuPool pool() { return CpuPool.common(); }

    /** out = act(conv(prologue(in), weight) + bias + residual); unused optional tensors may be null. */
    public static void conv2d(Conv2d op, Tensor in, Tensor weight, Tensor bias, Tensor residual, Tensor inScale, Tensor inShift, Tensor out) {
        op.checkArgs(in, weight, bias, residual, inScale, inShift, out);
        CpuConv.prepare(op, weight, bias, inScale, inShift).run(in, residual, out);
    }

    /** out = act(in*scale[c] + shift[c]) (fused BN-ReLU). */
    public static void channelAffine(ChannelAffine op, Tensor in, Tensor scale, Tensor shift, Tensor out) {
        op.checkArgs(in, scale, shift, out);
        CpuEltwise k = new CpuEltwise(CpuEltwise.Kind.AFFINE, op.act());
        k.set(in, null, scale.toArray(), shift.toArray(), out);
        k.run(pool());
    }

    /** out = act(a + b). out may alias a or b (same elements, same views). */
    public static void add(Add op, Tensor a, Tensor b, Tensor out) {
        op.checkArgs(a, b, out);
        CpuEltwise k = new CpuEltwise(CpuEltwise.Kind.ADD, op.act());
        k.set(a, b, null, null, out);
        k.run(pool());
    }

    /** out = act(in), elementwise; out may alias in. */
    public static void act(Act op, Tensor in, Tensor out) {
        Check.notNull(op.kind(), "input", in);
        Check.shape(op.kind(), "output", out, op.outputShape(in.shape()));
        CpuEltwise k = new CpuEltwise(CpuEltwise.Kind.ACT, op.act());
        k.set(in, null, null, null, out);
        k.run(pool());
    }

    /** Channel concatenation, bit-exact plane copies. */
    public static void concat(Concat op, Tensor[] in, Tensor out) {
        Check.notNull(op.kind(), "inputs", in);
        Shape[] shapes = new Shape[in.length];
        for (int i = 0; i < in.length; i++) { Check.notNull(op.kind(), "input " + i, in[i]); shapes[i] = in[i].shape(); }
        Check.shape(op.kind(), "output", out, op.outputShape(shapes));
        int c0 = 0;
        for (Tensor t : in) {
            copyChannels(t, 0, out, c0, t.c());
            c0 += t.c();
        }
    }

    /** Channels [start, start+count) of in, copied (bit-exact). */
    public static void slice(Slice op, Tensor in, Tensor out) {
        Check.notNull(op.kind(), "input", in);
        Check.shape(op.kind(), "output", out, op.outputShape(in.shape()));
        copyChannels(in, op.start(), out, 0, op.count());
    }

    /** out[j] = in[sourceChannel(j)], whole planes copied (bit-exact). */
    public static void channelShuffle(ChannelShuffle op, Tensor in, Tensor out) {
        Check.notNull(op.kind(), "input", in);
        Check.shape(op.kind(), "output", out, op.outputShape(in.shape()));
        long hw = (long) in.h() * in.w() * Float.BYTES;
        for (int n = 0; n < in.n(); n++)
            for (int j = 0; j < in.c(); j++)
                MemorySegment.copy(in.segment(), (n * in.batchStride()) * 4 + op.sourceChannel(j, in.c()) * hw,
                    out.segment(), (n * out.batchStride()) * 4 + j * hw, hw);
    }

    private static void copyChannels(Tensor src, int sc, Tensor dst, int dc, int count) {
        long hw = (long) src.h() * src.w() * Float.BYTES;
        for (int n = 0; n < src.n(); n++)
            MemorySegment.copy(src.segment(), n * src.batchStride() * 4 + sc * hw, dst.segment(), n * dst.batchStride() * 4 + dc * hw, count * hw);
    }

    /** Max pooling (floor or ceil mode; padding never wins). Bit-exact. */
    public static void maxPool(MaxPool op, Tensor in, Tensor out) {
        Check.notNull(op.kind(), "input", in);
        Check.shape(op.kind(), "output", out, op.outputShape(in.shape()));
        new PoolStep(op, null, in, out, pool()).run();
    }

    /** Average pooling with {@link AvgPool#divisor}'s count rule. */
    public static void avgPool(AvgPool op, Tensor in, Tensor out) {
        Check.notNull(op.kind(), "input", in);
        Check.shape(op.kind(), "output", out, op.outputShape(in.shape()));
        new PoolStep(null, op, in, out, pool()).run();
    }

    /** Mean over H and W: [N,C,H,W] -> [N,C,1,1]. */
    public static void globalAvgPool(GlobalAvgPool op, Tensor in, Tensor out) {
        Check.notNull(op.kind(), "input", in);
        Check.shape(op.kind(), "output", out, op.outputShape(in.shape()));
        new CpuPooling().run(in, out, pool());
    }

    /** y = x W^T + b (GEMV per image). */
    public static void linear(Linear op, Tensor x, Tensor weight, Tensor bias, Tensor y) {
        op.checkArgs(x, weight, bias, y);
        CpuLinear.prepare(op, weight, bias).run(x, y);
    }

    /** Max-subtracted softmax over the features of each image; sum in float64. */
    /** y = x * sigmoid(fc2(relu(fc1(mean_hw(x))))) per channel; y may alias x. */
    public static void squeezeExcite(jcnn.ops.SqueezeExcite op, Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor y) {
        op.checkArgs(x, w1, b1, w2, b2, y);
        CpuSqueezeExcite.prepare(op, w1, b1, w2, b2).run(x, y);
    }

    public static void softmax(Softmax op, Tensor x, Tensor y) {
        Check.notNull(op.kind(), "input", x);
        Check.shape(op.kind(), "output", y, op.outputShape(x.shape()));
        long K = x.shape().size() / x.n();
        for (int n = 0; n < x.n(); n++) {
            long bx = n * x.batchStride(), by = n * y.batchStride();
            float m = Float.NEGATIVE_INFINITY;
            for (long i = 0; i < K; i++) m = Math.max(m, x.get(bx + i));
            double s = 0;
            for (long i = 0; i < K; i++) {
                float e = (float) Math.exp(x.get(bx + i) - m);
                y.set(by + i, e);
                s += e;
            }
            float inv = (float) (1.0 / s);
            for (long i = 0; i < K; i++) y.set(by + i, y.get(by + i) * inv);
        }
    }
}
