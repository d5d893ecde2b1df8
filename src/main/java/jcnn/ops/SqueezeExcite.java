package jcnn.ops;

import java.util.LinkedHashMap;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Squeeze-and-excitation (Hu et al. 2018): each channel scaled by a gate computed from the whole
 * feature map, {@code y[n,c] = x[n,c] * sigmoid(fc2(relu(fc1(mean_hw(x[n])))))[c]}. fc1 maps
 * {@code channels -> reduced} and fc2 back, both with bias; their weights have torchvision's
 * SqueezeExcitation layout, 1x1 convs: {@code fc1.weight [reduced, channels, 1, 1]}, {@code fc1.bias},
 * {@code fc2.weight [channels, reduced, 1, 1]}, {@code fc2.bias}. Shape-preserving. MACs are fc1's and
 * fc2's (the mean and the scaling are not multiply-accumulates in ARCHITECTURES.md's count).
 */
public record SqueezeExcite(int channels, int reduced) implements Op {
    public SqueezeExcite {
        Check.positive("squeeze_excite", "channels", channels);
        Check.positive("squeeze_excite", "reduced channels", reduced);
    }

    /** The usual reduction ratio r = 16, at least one channel. */
    public static SqueezeExcite of(int channels) { return new SqueezeExcite(channels, Math.max(1, channels / 16)); }

    @Override public String kind() { return "squeeze_excite"; }

    @Override
    public Shape outputShape(Shape... in) {
        Check.arity(kind(), in, 1);
        Check.rank4(kind(), in[0]);
        Check.channels(kind(), in[0], channels);
        return in[0];
    }

    @Override public long macs(Shape... in) { return (long) outputShape(in).n() * 2L * channels * reduced; }
    @Override public long params() { return 2L * channels * reduced + reduced + channels; }

    @Override
    public LinkedHashMap<String, Shape> weightShapes() {
        var m = new LinkedHashMap<String, Shape>();
        m.put("fc1.weight", Shape.nchw(reduced, channels, 1, 1));
        m.put("fc1.bias", Shape.of(reduced));
        m.put("fc2.weight", Shape.nchw(channels, reduced, 1, 1));
        m.put("fc2.bias", Shape.of(channels));
        return m;
    }

    public void checkArgs(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor y) {
        Check.notNull(kind(), "input", x);
        Shape o = outputShape(x.shape());
        Check.shape(kind(), "fc1.weight", w1, Shape.nchw(reduced, channels, 1, 1));
        Check.shape(kind(), "fc1.bias", b1, Shape.of(reduced));
        Check.shape(kind(), "fc2.weight", w2, Shape.nchw(channels, reduced, 1, 1));
        Check.shape(kind(), "fc2.bias", b2, Shape.of(channels));
        Check.shape(kind(), "output", y, o);
    }

    /** Float64 reference; the gate is rounded to float before scaling, as every twin does. */
    public void reference(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor y) {
        checkArgs(x, w1, b1, w2, b2, y);
        int hw = x.h() * x.w();
        double[] mean = new double[channels], hidden = new double[reduced];
        for (int n = 0; n < x.n(); n++) {
            for (int c = 0; c < channels; c++) {
                double s = 0;
                for (int i = 0; i < hw; i++) s += x.get(n, c, i / x.w(), i % x.w());
                mean[c] = s / hw;
            }
            for (int r = 0; r < reduced; r++) {
                double a = b1.get(r);
                for (int c = 0; c < channels; c++) a += (double) w1.get((long) r * channels + c) * mean[c];
                hidden[r] = Math.max(a, 0);
            }
            for (int c = 0; c < channels; c++) {
                double a = b2.get(c);
                for (int r = 0; r < reduced; r++) a += (double) w2.get((long) c * reduced + r) * hidden[r];
                double gate = (float) (1 / (1 + Math.exp(-a)));
                for (int i = 0; i < hw; i++) {
                    int h = i / x.w(), w = i % x.w();
                    y.set(n, c, h, w, (float) (x.get(n, c, h, w) * gate));
                }
            }
        }
    }
}
