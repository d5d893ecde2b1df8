package jcnn.ops;

import java.util.LinkedHashMap;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * 2-D convolution, square kernel, symmetric padding, dilation 1.
 * groups = 1 is a standard conv, groups = g a grouped conv, groups = inC = outC a depthwise conv.
 * Weight {@code [outC, inC/groups, k, k]}; optional bias {@code [outC]}.
 *
 * <p>Fusions, all optional: an input prologue {@code x' = relu(x*inScale[c] + inShift[c])} applied to
 * the input as it is read (DenseNet's BN-ReLU before its 1x1 conv; padding stays zero); and an
 * epilogue {@code y = act(conv + bias + residual)} (folded BN shows up as the bias).
 */
public record Conv2d(int inC, int outC, int kernel, int stride, int pad, int groups,
                     boolean bias, Activation act, boolean residual, boolean inputBnRelu) implements Op {
    public Conv2d {
        String k = "conv2d";
        Check.positive(k, "input channels", inC);
        Check.positive(k, "output channels", outC);
        Check.positive(k, "kernel", kernel);
        Check.positive(k, "stride", stride);
        Check.nonNegative(k, "padding", pad);
        Check.positive(k, "groups", groups);
        if (inC % groups != 0) throw new IllegalArgumentException("conv2d: input channels " + inC + " not divisible by groups " + groups);
        if (outC % groups != 0) throw new IllegalArgumentException("conv2d: output channels " + outC + " not divisible by groups " + groups);
        Check.notNull(k, "activation", act);
    }

    /** A plain conv: no bias, no activation, no fusion. */
    public static Conv2d of(int inC, int outC, int kernel, int stride, int pad, int groups) {
        return new Conv2d(inC, outC, kernel, stride, pad, groups, false, Activation.NONE, false, false);
    }

    public Conv2d withBias(boolean b) { return new Conv2d(inC, outC, kernel, stride, pad, groups, b, act, residual, inputBnRelu); }
    public Conv2d withAct(Activation a) { return new Conv2d(inC, outC, kernel, stride, pad, groups, bias, a, residual, inputBnRelu); }
    public Conv2d withResidual(boolean r) { return new Conv2d(inC, outC, kernel, stride, pad, groups, bias, act, r, inputBnRelu); }
    public Conv2d withInputBnRelu(boolean p) { return new Conv2d(inC, outC, kernel, stride, pad, groups, bias, act, residual, p); }

    public boolean isDepthwise() { return groups == inC && groups == outC; }
    public boolean isPointwise() { return kernel == 1 && stride == 1 && pad == 0; }
    public Shape weightShape() { return Shape.of(outC, inC / groups, kernel, kernel); }

    @Override public String kind() { return "conv2d"; }

    @Override
    public Shape outputShape(Shape... in) {
        Check.arity(kind(), in, residual ? 2 : 1);
        Check.rank4(kind(), in[0]);
        Check.channels(kind(), in[0], inC);
        Shape out = Shape.nchw(in[0].n(), outC,
            Check.windowOut(kind(), in[0].h(), kernel, stride, pad, false),
            Check.windowOut(kind(), in[0].w(), kernel, stride, pad, false));
        if (residual) out.require(in[1], "conv2d residual");
        return out;
    }

    @Override
    public long macs(Shape... in) {
        Shape o = outputShape(in);
        return (long) o.n() * o.h() * o.w() * outC * (inC / groups) * kernel * kernel;
    }

    @Override public long params() { return (long) outC * (inC / groups) * kernel * kernel + (bias ? outC : 0); }

    @Override
    public LinkedHashMap<String, Shape> weightShapes() {
        var m = new LinkedHashMap<String, Shape>();
        m.put("weight", weightShape());
        if (bias) m.put("bias", Shape.of(outC));
        return m;
    }

    /** Checks every argument of a run against this op; shared by the reference and the twins. */
    public void checkArgs(Tensor in, Tensor weight, Tensor b, Tensor res, Tensor inScale, Tensor inShift, Tensor out) {
        Check.notNull(kind(), "input", in);
        Shape o = residual ? outputShape(in.shape(), res == null ? null : res.shape()) : outputShape(in.shape());
        Check.shape(kind(), "weight", weight, weightShape());
        if (bias) Check.shape(kind(), "bias", b, Shape.of(outC));
        if (inputBnRelu) {
            Check.shape(kind(), "input scale", inScale, Shape.of(inC));
            Check.shape(kind(), "input shift", inShift, Shape.of(inC));
        }
        Check.shape(kind(), "output", out, o);
    }

    /**
     * Scalar reference, float64 accumulation. {@code b}, {@code res}, {@code inScale}/{@code inShift}
     * are used only when this op says so (bias, residual, inputBnRelu) and may be null otherwise.
     */
    public void reference(Tensor in, Tensor weight, Tensor b, Tensor res, Tensor inScale, Tensor inShift, Tensor out) {
        checkArgs(in, weight, b, res, inScale, inShift, out);
        int H = in.h(), W = in.w(), OH = out.h(), OW = out.w();
        int cig = inC / groups, cog = outC / groups;
        for (int n = 0; n < in.n(); n++) {
            for (int oc = 0; oc < outC; oc++) {
                int g = oc / cog;
                for (int oy = 0; oy < OH; oy++) {
                    for (int ox = 0; ox < OW; ox++) {
                        double acc = bias ? b.get(oc) : 0.0;
                        for (int ic = 0; ic < cig; ic++) {
                            int c = g * cig + ic;
                            for (int ky = 0; ky < kernel; ky++) {
                                int iy = oy * stride - pad + ky;
                                if (iy < 0 || iy >= H) continue;
                                for (int kx = 0; kx < kernel; kx++) {
                                    int ix = ox * stride - pad + kx;
                                    if (ix < 0 || ix >= W) continue;
                                    double x = in.get(n, c, iy, ix);
                                    if (inputBnRelu) x = Math.max(0.0, x * inScale.get(c) + inShift.get(c));
                                    acc += x * weight.get(((long) (oc * cig + ic) * kernel + ky) * kernel + kx);
                                }
                            }
                        }
                        if (residual) acc += res.get(n, oc, oy, ox);
                        out.set(n, oc, oy, ox, (float) act.apply(acc));
                    }
                }
            }
        }
    }
}
