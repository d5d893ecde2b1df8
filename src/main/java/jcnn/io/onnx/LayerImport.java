package jcnn.io.onnx;

import java.util.Arrays;
import jcnn.io.onnx.OnnxModel.Node;
import jcnn.io.onnx.OnnxModel.Tensor;
import jcnn.ops.*;
import jcnn.tensor.Shape;

/** ONNX nodes that become jcnn layers: conv, BN, activations, pools, linear, add, softmax. */
final class LayerImport {
    private LayerImport() {}

    static void conv(ImportState s, Node n) {
        int x = s.value(n.input(0));
        Tensor w = s.requireConst(n.input(1), "conv weight");
        if (w.dims().length != 4) throw new IllegalArgumentException("conv weight has shape " + Arrays.toString(w.dims()) + ", expected 4-D");
        Window win = Window.of(n, (int) w.dims()[2], (int) w.dims()[3]);
        int groups = (int) n.i("group", 1);
        int inC = s.b.channels(x), outC = (int) w.dims()[0];
        Conv2d c;
        try {
            c = Conv2d.of(inC, outC, win.k, win.stride, win.pad, groups).withBias(!n.input(2).isEmpty());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("inconsistent shapes: " + e.getMessage());
        }
        if (!c.weightShape().equals(shapeOf(w))) {
            throw new IllegalArgumentException("inconsistent shapes: weight " + Arrays.toString(w.dims()) + " does not fit input "
                + s.b.shape(x) + " with group " + groups + " (expected " + c.weightShape() + ")");
        }
        String name = s.unique(s.module(w.name(), n, "conv"));
        s.weights.put(name + ".weight", c.weightShape(), floats(w, "conv weight"));
        if (c.bias()) s.weights.put(name + ".bias", Shape.of(outC), vector(s, n.input(2), outC, "conv bias"));
        s.define(n.outputs().get(0), s.b.add(name, c, x));
    }

    static void batchNorm(ImportState s, Node n) {
        if (n.i("training_mode", 0) != 0) throw new IllegalArgumentException("training_mode BatchNormalization is not supported");
        int x = s.value(n.input(0));
        int c = s.b.channels(x);
        Tensor gamma = s.requireConst(n.input(1), "BN scale");
        String name = s.unique(s.module(gamma.name(), n, "bn"));
        String[] keys = {"weight", "bias", "running_mean", "running_var"};
        for (int i = 0; i < 4; i++) s.weights.put(name + "." + keys[i], Shape.of(c), vector(s, n.input(i + 1), c, "BN " + keys[i]));
        s.define(n.outputs().get(0), s.b.add(name, new BatchNorm(c, n.f("epsilon", 1e-5f)), x));
    }

    /** Clip(0, 6) is ReLU6 and Clip(0, +inf) ReLU; bounds are attributes before opset 11, inputs from 11. */
    static void clip(ImportState s, Node n) {
        float lo, hi;
        if (s.opset < 11) {
            lo = n.f("min", Float.NEGATIVE_INFINITY);
            hi = n.f("max", Float.POSITIVE_INFINITY);
        } else {
            lo = n.input(1).isEmpty() ? Float.NEGATIVE_INFINITY : scalar(s, n.input(1), "Clip min");
            hi = n.input(2).isEmpty() ? Float.POSITIVE_INFINITY : scalar(s, n.input(2), "Clip max");
        }
        Activation a;
        if (lo == 0f && hi == 6f) a = Activation.RELU6;
        else if (lo == 0f && hi == Float.POSITIVE_INFINITY) a = Activation.RELU;
        else throw new IllegalArgumentException("Clip(" + lo + ", " + hi + ") is not supported (only (0, 6) and (0, inf))");
        s.define(n.outputs().get(0), s.add(null, new Act(a), s.value(n.input(0))));
    }

    private record Clamp(String x, boolean max) implements ImportState.Pending {
        @Override public int materialize(ImportState s) {
            if (!max) throw new IllegalArgumentException("Min(x, 6) without a Max(., 0) around it is not supported");
            return s.add(null, new Act(Activation.RELU), s.value(x));
        }
    }

    /** Max(x, 0) then Min(., 6), or the other order, is ReLU6; Max(x, 0) alone is ReLU. */
    static void maxMin(ImportState s, Node n) {
        if (n.inputs().size() != 2) throw new IllegalArgumentException("only the two-input form (tensor, constant) is supported");
        boolean max = n.opType().equals("Max");
        String xin = s.isConst(n.input(0)) ? n.input(1) : n.input(0);
        String cin = s.isConst(n.input(0)) ? n.input(0) : n.input(1);
        float c = scalar(s, cin, n.opType() + " bound");
        if (c != (max ? 0f : 6f)) throw new IllegalArgumentException(n.opType() + " with bound " + c + " is not supported (Max 0 / Min 6)");
        String out = n.outputs().get(0);
        if (s.pending.get(xin) instanceof Clamp p && p.max() != max) {
            s.pending.remove(xin);
            s.define(out, s.add(null, new Act(Activation.RELU6), s.value(p.x())));
        } else {
            s.definePending(out, new Clamp(xin, max));
        }
    }

    static void pool(ImportState s, Node n) {
        if (n.outputs().size() > 1 && !n.outputs().get(1).isEmpty()) throw new IllegalArgumentException("MaxPool Indices output is not supported");
        long[] ks = n.ints("kernel_shape");
        if (ks == null || ks.length != 2) throw new IllegalArgumentException("kernel_shape must have 2 values");
        boolean ceil = n.i("ceil_mode", 0) != 0;
        long[] pads = n.ints("pads");
        if (n.opType().equals("AveragePool") && !ceil && pads != null && pads.length == 4 && (pads[2] != pads[0] || pads[3] != pads[1])) {
            avgPoolWidened(s, n, (int) ks[0], pads);
            return;
        }
        Window w = Window.of(n, (int) ks[0], (int) ks[1]);
        if (n.opType().equals("AveragePool") && !ceil && n.i("count_include_pad", 0) == 0) {
            // may be the first half of an exported ceil-mode count_include_pad pool (see AvgPoolFix)
            s.value(n.input(0));
            s.definePending(n.outputs().get(0), new AvgCeil(n.input(0), new AvgPool(w.k, w.stride, w.pad, false, false)));
            return;
        }
        Op op = n.opType().equals("MaxPool") ? new MaxPool(w.k, w.stride, w.pad, ceil)
            : new AvgPool(w.k, w.stride, w.pad, ceil, n.i("count_include_pad", 0) != 0);
        s.define(n.outputs().get(0), s.add(null, op, s.value(n.input(0))));
    }

    /**
     * Floor mode with the end padding widened and count_include_pad off is how a ceil-mode average
     * pool is exported (see AvgPoolFix): accepted when it gives exactly the ceil-mode output size.
     */
    private static void avgPoolWidened(ImportState s, Node n, int k, long[] pads) {
        int x = s.value(n.input(0));
        Shape in = s.b.shape(x);
        long[] st = n.ints("strides");
        int stride = st == null || st.length == 0 ? 1 : (int) st[0];
        AvgPool ceil = new AvgPool(k, stride, (int) pads[0], true, false);
        boolean ok = pads[0] == pads[1] && n.i("count_include_pad", 0) == 0 && (st == null || st.length == 0 || st[0] == st[1])
            && n.ints("kernel_shape")[1] == k && pads[2] >= pads[0] && pads[3] >= pads[1];
        if (ok) {
            Shape o = ceil.outputShape(in);
            ok = AvgPoolFix.floorOut(in.h(), k, stride, (int) pads[0], (int) pads[2]) == o.h()
                && AvgPoolFix.floorOut(in.w(), k, stride, (int) pads[1], (int) pads[3]) == o.w();
        }
        if (!ok) throw new IllegalArgumentException("asymmetric padding " + Arrays.toString(pads) + " is not supported");
        s.definePending(n.outputs().get(0), new AvgCeil(n.input(0), ceil));
    }

    /** x.mean([2, 3]): a global average pool; without keepdims its ONNX dims are [N, C]. */
    static void reduceMean(ImportState s, Node n) {
        long[] axes = s.opset >= 18 ? (n.input(1).isEmpty() ? null : s.requireConst(n.input(1), "ReduceMean axes").longs()) : n.ints("axes");
        int x = s.value(n.input(0));
        Shape in = s.b.shape(x);
        long[] norm = axes == null ? null : Arrays.stream(axes).map(a -> a < 0 ? a + in.rank() : a).sorted().toArray();
        if (in.rank() != 4 || norm == null || !Arrays.equals(norm, new long[] {2, 3})) {
            throw new IllegalArgumentException("ReduceMean over axes " + Arrays.toString(axes) + " of " + in + " is not supported (only H and W)");
        }
        String out = n.outputs().get(0);
        s.define(out, s.add(null, new GlobalAvgPool(), x));
        if (n.i("keepdims", 1) == 0) s.setView(out, new long[] {in.n(), in.c()});
    }

    /** Gemm(A, B, C) with transA = 0: a Linear; alpha and beta are folded into the weights. */
    static void gemm(ImportState s, Node n) {
        if (n.i("transA", 0) != 0) throw new IllegalArgumentException("transA = 1 is not supported");
        Tensor b = s.requireConst(n.input(1), "Gemm B");
        if (b.dims().length != 2) throw new IllegalArgumentException("Gemm B must be 2-D, has shape " + Arrays.toString(b.dims()));
        boolean transB = n.i("transB", 0) != 0;
        float[] wt = transB ? floats(b, "Gemm B").clone() : transpose(floats(b, "Gemm B"), (int) b.dims()[0], (int) b.dims()[1]);
        int out = (int) b.dims()[transB ? 0 : 1];
        float alpha = n.f("alpha", 1f), beta = n.f("beta", 1f);
        if (alpha != 1f) for (int i = 0; i < wt.length; i++) wt[i] *= alpha;
        float[] bias = null;
        if (!n.input(2).isEmpty()) {
            bias = vector(s, n.input(2), out, "Gemm C").clone();
            for (int i = 0; i < out; i++) bias[i] *= beta;
        }
        linear(s, n.input(0), wt, out, bias, s.module(b.name(), n, "fc"), n.outputs().get(0));
    }

    private record MatMul(String x, float[] w, int out, String name) implements ImportState.Pending {
        @Override public int materialize(ImportState s) { return emitLinear(s, x, w, out, null, name); }
    }

    /** MatMul(x, W[in, out]) waits for a following Add of a bias; alone it is a Linear without bias. */
    static void matMul(ImportState s, Node n) {
        Tensor b = s.requireConst(n.input(1), "MatMul weight");
        if (b.dims().length != 2) throw new IllegalArgumentException("MatMul weight must be 2-D, has shape " + Arrays.toString(b.dims()));
        s.value(n.input(0));
        float[] wt = transpose(floats(b, "MatMul weight"), (int) b.dims()[0], (int) b.dims()[1]);
        s.definePending(n.outputs().get(0), new MatMul(n.input(0), wt, (int) b.dims()[1], s.module(b.name(), n, "fc")));
    }

    private record AvgCeil(String x, AvgPool pool) implements ImportState.Pending {
        @Override public int materialize(ImportState s) { return s.add(null, pool, s.value(x)); }
    }

    private record Scale(String x, float[] scale, String name) implements ImportState.Pending {
        @Override public int materialize(ImportState s) { return affine(s, x, scale, new float[scale.length], name); }
    }

    /** Mul(x, per-channel constant) waits for an Add of a per-channel shift: together a ChannelAffine. */
    static void mul(ImportState s, Node n) {
        String a = n.input(0), c = n.input(1);
        if (s.isConst(a)) { String t = a; a = c; c = t; }
        if (!s.isConst(c)) throw new IllegalArgumentException("Mul of two tensors is not supported");
        if (s.pending.get(a) instanceof AvgCeil p) {
            AvgPool counted = new AvgPool(p.pool().kernel(), p.pool().stride(), p.pool().pad(), true, true);
            Shape in = s.shape(p.x());
            float[] want = AvgPoolFix.map(counted, in), got = floats(s.requireConst(c, "Mul factor"), "Mul factor");
            boolean same = got.length == want.length && counted.outputShape(in).equals(p.pool().outputShape(in));
            for (int i = 0; same && i < want.length; i++) same = Math.abs(got[i] - want[i]) <= 1e-6f * Math.abs(want[i]);
            if (!same) throw new IllegalArgumentException("Mul after a ceil-mode AveragePool is only supported as the count_include_pad correction");
            s.pending.remove(a);
            s.define(n.outputs().get(0), s.add(null, counted, s.value(p.x())));
            return;
        }
        int ch = s.b.channels(s.value(a));
        Tensor t = s.requireConst(c, "Mul factor");
        requirePerChannel(t, ch);
        s.definePending(n.outputs().get(0), new Scale(a, vector(s, c, ch, "per-channel factor"), s.module(t.name(), n, "affine")));
    }

    private static int affine(ImportState s, String x, float[] scale, float[] shift, String name) {
        String nm = s.unique(name);
        s.weights.put(nm + ".scale", Shape.of(scale.length), scale);
        s.weights.put(nm + ".shift", Shape.of(shift.length), shift);
        return s.b.add(nm, new ChannelAffine(scale.length, Activation.NONE), s.value(x));
    }

    static void add(ImportState s, Node n) {
        String a = n.input(0), c = n.input(1), out = n.outputs().get(0);
        if (s.isConst(a)) { String t = a; a = c; c = t; }
        if (s.isConst(c)) {
            if (s.pending.get(a) instanceof Scale m) {
                requirePerChannel(s.constant(c), m.scale().length);
                s.pending.remove(a);
                s.define(out, affine(s, m.x(), m.scale(), vector(s, c, m.scale().length, "per-channel shift"), m.name()));
                return;
            }
            if (s.pending.get(a) instanceof MatMul m) {
                s.pending.remove(a);
                s.define(out, emitLinear(s, m.x(), m.w(), m.out(), vector(s, c, m.out(), "bias"), m.name()));
                return;
            }
            throw new IllegalArgumentException("adding a constant is only supported as a MatMul bias or after a per-channel Mul");
        }
        int x = s.value(a), y = s.value(c);
        if (!s.b.shape(x).equals(s.b.shape(y))) {
            throw new IllegalArgumentException("inconsistent shapes: " + s.b.shape(x) + " + " + s.b.shape(y) + " (no broadcasting)");
        }
        s.define(out, s.add(null, new Add(Activation.NONE), x, y));
    }

    /** Softmax over all features of an image: ONNX's axis must be the last, or 1 before opset 13 (coerced to 2-D). */
    static void softmax(ImportState s, Node n) {
        long[] d = s.dims(n.input(0));
        long axis = n.i("axis", s.opset >= 13 ? -1 : 1);
        if (axis < 0) axis += d.length;
        long rest = 1;
        for (int i = (int) axis + 1; i < d.length; i++) rest *= d[i];
        boolean ok = axis == 1 && (s.opset < 13 || rest == 1);
        if (!ok) throw new IllegalArgumentException("softmax over axis " + axis + " of " + Arrays.toString(d) + " is not supported (features of an image only)");
        String out = n.outputs().get(0);
        s.define(out, s.add(null, new Softmax(), s.value(n.input(0))));
        s.setView(out, d);
    }

    private static void linear(ImportState s, String x, float[] w, int out, float[] bias, String name, String outName) {
        s.define(outName, emitLinear(s, x, w, out, bias, name));
    }

    private static int emitLinear(ImportState s, String x, float[] w, int out, float[] bias, String name) {
        int xv = s.value(x);
        Shape xs = s.b.shape(xv);
        int in = (int) (xs.size() / xs.n());
        if ((long) in * out != w.length) {
            throw new IllegalArgumentException("inconsistent shapes: linear weight of " + w.length + " values does not fit " + in + " -> " + out
                + " (input " + xs + ")");
        }
        String nm = s.unique(name);
        s.weights.put(nm + ".weight", Shape.of(out, in), w);
        if (bias != null) s.weights.put(nm + ".bias", Shape.of(out), bias);
        return s.b.add(nm, new Linear(in, out, bias != null), xv);
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** A constant that broadcasts per channel over NCHW: [C], [C, 1, 1] or [1, C, 1, 1] (a scalar too). */
    static void requirePerChannel(Tensor t, int c) {
        long[] d = t.dims();
        boolean ok = t.elements() == 1 || (d.length == 1 && d[0] == c) || (d.length == 3 && d[0] == c && d[1] == 1 && d[2] == 1)
            || (d.length == 4 && d[0] == 1 && d[1] == c && d[2] == 1 && d[3] == 1);
        if (!ok) throw new IllegalArgumentException("constant '" + t.name() + "' of shape " + Arrays.toString(d) + " is not per-channel for " + c + " channels");
    }

    /** Square window, equal strides, symmetric padding, no dilation, no auto_pad but VALID. */
    record Window(int k, int stride, int pad) {
        static Window of(Node n, int kh, int kw) {
            if (kh != kw) throw new IllegalArgumentException("non-square kernel " + kh + "x" + kw + " is not supported");
            long[] st = n.ints("strides"), pads = n.ints("pads"), dil = n.ints("dilations");
            String auto = n.s("auto_pad", "NOTSET");
            if (!auto.equals("NOTSET") && !auto.equals("VALID")) throw new IllegalArgumentException("auto_pad " + auto + " is not supported");
            if (dil != null) for (long d : dil) if (d != 1) throw new IllegalArgumentException("dilation " + Arrays.toString(dil) + " is not supported");
            int stride = 1, pad = 0;
            if (st != null && st.length > 0) {
                if (st.length != 2 || st[0] != st[1]) throw new IllegalArgumentException("strides " + Arrays.toString(st) + " are not supported");
                stride = (int) st[0];
            }
            if (pads != null && pads.length > 0 && auto.equals("NOTSET")) {
                if (pads.length != 4 || pads[0] != pads[2] || pads[1] != pads[3]) {
                    throw new IllegalArgumentException("asymmetric padding " + Arrays.toString(pads) + " is not supported");
                }
                if (pads[0] != pads[1]) throw new IllegalArgumentException("padding " + Arrays.toString(pads) + " differs between H and W");
                pad = (int) pads[0];
            }
            return new Window(kh, stride, pad);
        }
    }

    static Shape shapeOf(Tensor t) {
        int[] d = new int[t.dims().length];
        for (int i = 0; i < d.length; i++) d[i] = (int) t.dims()[i];
        return Shape.of(d);
    }

    static float[] floats(Tensor t, String what) {
        if (!t.isFloat()) throw new IllegalArgumentException(what + " '" + t.name() + "' is not a float tensor");
        return t.floats();
    }

    /** A constant of exactly {@code n} floats (any shape), or one value broadcast to n. */
    static float[] vector(ImportState s, String v, int n, String what) {
        float[] f = floats(s.requireConst(v, what), what);
        if (f.length == n) return f;
        if (f.length == 1) { float[] r = new float[n]; Arrays.fill(r, f[0]); return r; }
        throw new IllegalArgumentException("inconsistent shapes: " + what + " '" + v + "' has " + f.length + " values, expected " + n);
    }

    static float scalar(ImportState s, String v, String what) {
        Tensor t = s.requireConst(v, what);
        if (t.elements() != 1) throw new IllegalArgumentException(what + " must be a scalar");
        return t.isFloat() ? t.floats()[0] : t.longs()[0];
    }

    static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
        return t;
    }
}
