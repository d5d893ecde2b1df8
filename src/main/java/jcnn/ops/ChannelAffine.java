package jcnn.ops;

import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Per-channel {@code y = act(x*scale[c] + shift[c])}: the fused BN-ReLU (a BN that follows no conv,
 * as in DenseNet's transitions and head), after the BN's statistics are folded into scale and shift.
 */
public record ChannelAffine(int channels, Activation act) implements Op {
    public ChannelAffine {
        Check.positive("channel_affine", "channels", channels);
        Check.notNull("channel_affine", "activation", act);
    }

    @Override public String kind() { return "channel_affine"; }

    /** Weights "scale" and "shift", each [C] (derived from a BN by the compiler, not a PyTorch module). */
    @Override
    public java.util.LinkedHashMap<String, Shape> weightShapes() {
        var m = new java.util.LinkedHashMap<String, Shape>();
        m.put("scale", Shape.of(channels));
        m.put("shift", Shape.of(channels));
        return m;
    }

    @Override
    public Shape outputShape(Shape... in) {
        Check.arity(kind(), in, 1);
        Check.rank4(kind(), in[0]);
        Check.channels(kind(), in[0], channels);
        return in[0];
    }

    public void checkArgs(Tensor in, Tensor scale, Tensor shift, Tensor out) {
        Check.notNull(kind(), "input", in);
        Shape o = outputShape(in.shape());
        Check.shape(kind(), "scale", scale, Shape.of(channels));
        Check.shape(kind(), "shift", shift, Shape.of(channels));
        Check.shape(kind(), "output", out, o);
    }

    public void reference(Tensor in, Tensor scale, Tensor shift, Tensor out) {
        checkArgs(in, scale, shift, out);
        for (int n = 0; n < in.n(); n++)
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < in.h(); y++)
                    for (int x = 0; x < in.w(); x++)
                        out.set(n, c, y, x, (float) act.apply((double) in.get(n, c, y, x) * scale.get(c) + shift.get(c)));
    }
}
