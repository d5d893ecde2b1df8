package jcnn.ops;

import java.util.LinkedHashMap;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Inference batch norm: {@code y = gamma * (x - mean) / sqrt(var + eps) + beta}, per channel.
 * Weights (PyTorch names): weight (gamma), bias (beta), running_mean, running_var, each {@code [C]}.
 * It is never run as such on a fast path: the compiler folds it into the conv before it
 * ({@link #foldInto}) or turns it into a {@link ChannelAffine} ({@link #scaleShift}).
 */
public record BatchNorm(int channels, double eps) implements Op {
    public BatchNorm {
        Check.positive("batchnorm", "channels", channels);
        if (!(eps > 0)) throw new IllegalArgumentException("batchnorm: eps must be > 0, got " + eps);
    }

    public static BatchNorm of(int channels) { return new BatchNorm(channels, 1e-5); }

    @Override public String kind() { return "batchnorm"; }

    @Override
    public Shape outputShape(Shape... in) {
        Check.arity(kind(), in, 1);
        Check.channels(kind(), in[0], channels);
        return in[0];
    }

    @Override public long params() { return 2L * channels; }

    @Override
    public LinkedHashMap<String, Shape> weightShapes() {
        var m = new LinkedHashMap<String, Shape>();
        for (String k : new String[] {"weight", "bias", "running_mean", "running_var"}) m.put(k, Shape.of(channels));
        return m;
    }

    /** Per-channel {scale, shift} with {@code y = x*scale + shift}, computed in float64. */
    public float[][] scaleShift(float[] gamma, float[] beta, float[] mean, float[] var) {
        float[] scale = new float[channels], shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            double s = gamma[c] / Math.sqrt((double) var[c] + eps);
            scale[c] = (float) s;
            shift[c] = (float) (beta[c] - mean[c] * s);
        }
        return new float[][] {scale, shift};
    }

    /**
     * Folds this BN into the conv that feeds it: returns {weight', bias'} with
     * {@code w' = w * scale[oc]} and {@code b' = b * scale + shift} (b = 0 when the conv has no bias).
     */
    public float[][] foldInto(Conv2d conv, float[] w, float[] b, float[] gamma, float[] beta, float[] mean, float[] var) {
        if (conv.outC() != channels) {
            throw new IllegalArgumentException("batchnorm: cannot fold " + channels + " channels into a conv with " + conv.outC() + " outputs");
        }
        float[][] ss = scaleShift(gamma, beta, mean, var);
        int per = w.length / channels;
        float[] w2 = new float[w.length], b2 = new float[channels];
        for (int oc = 0; oc < channels; oc++) {
            double s = gamma[oc] / Math.sqrt((double) var[oc] + eps);
            for (int i = 0; i < per; i++) w2[oc * per + i] = (float) (w[oc * per + i] * s);
            b2[oc] = (float) ((b == null ? 0.0 : b[oc]) * s + (beta[oc] - mean[oc] * s));
        }
        return new float[][] {w2, b2};
    }

    /** Scalar reference in float64. */
    public void reference(Tensor in, Tensor gamma, Tensor beta, Tensor mean, Tensor var, Tensor out) {
        Check.notNull(kind(), "input", in);
        Shape o = outputShape(in.shape());
        Shape cs = Shape.of(channels);
        Check.shape(kind(), "weight", gamma, cs);
        Check.shape(kind(), "bias", beta, cs);
        Check.shape(kind(), "running_mean", mean, cs);
        Check.shape(kind(), "running_var", var, cs);
        Check.shape(kind(), "output", out, o);
        for (int n = 0; n < in.n(); n++)
            for (int c = 0; c < channels; c++) {
                double s = gamma.get(c) / Math.sqrt((double) var.get(c) + eps);
                for (int y = 0; y < in.h(); y++)
                    for (int x = 0; x < in.w(); x++)
                        out.set(n, c, y, x, (float) ((in.get(n, c, y, x) - mean.get(c)) * s + beta.get(c)));
            }
    }
}
