package jcnn.ops;

import java.util.LinkedHashMap;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Fully connected layer {@code y = x W^T + b}: weight {@code [out, in]}, optional bias {@code [out]}.
 * Accepts {@code [N, in]} or any NCHW input with C*H*W = in (flattened), gives {@code [N, out]}.
 */
public record Linear(int in, int out, boolean bias) implements Op {
    public Linear {
        Check.positive("linear", "input features", in);
        Check.positive("linear", "output features", out);
    }

    @Override public String kind() { return "linear"; }

    @Override
    public Shape outputShape(Shape... s) {
        Check.arity(kind(), s, 1);
        long features = s[0].size() / s[0].n();
        if (s[0].rank() < 2 || features != in) {
            throw new IllegalArgumentException("linear: expected " + in + " input features, got shape " + s[0]);
        }
        return Shape.of(s[0].n(), out);
    }

    @Override public long macs(Shape... s) { return (long) outputShape(s).n() * in * out; }
    @Override public long params() { return (long) in * out + (bias ? out : 0); }

    @Override
    public LinkedHashMap<String, Shape> weightShapes() {
        var m = new LinkedHashMap<String, Shape>();
        m.put("weight", Shape.of(out, in));
        if (bias) m.put("bias", Shape.of(out));
        return m;
    }

    public void checkArgs(Tensor x, Tensor weight, Tensor b, Tensor y) {
        Check.notNull(kind(), "input", x);
        Shape o = outputShape(x.shape());
        Check.shape(kind(), "weight", weight, Shape.of(out, in));
        if (bias) Check.shape(kind(), "bias", b, Shape.of(out));
        Check.shape(kind(), "output", y, o);
    }

    public void reference(Tensor x, Tensor weight, Tensor b, Tensor y) {
        checkArgs(x, weight, b, y);
        for (int n = 0; n < x.n(); n++)
            for (int o = 0; o < out; o++) {
                double acc = bias ? b.get(o) : 0.0;
                for (int i = 0; i < in; i++) acc += (double) x.get(n * x.batchStride() + i) * weight.get((long) o * in + i);
                y.set(n * y.batchStride() + o, (float) acc);
            }
    }
}
