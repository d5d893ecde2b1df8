package jcnn.ops;

import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/** Softmax over the features of each image ({@code [N, K]} or {@code [N, K, 1, 1]}), max-subtracted. */
public record Softmax() implements Op {
    @Override public String kind() { return "softmax"; }

    @Override
    public Shape outputShape(Shape... in) {
        Check.arity(kind(), in, 1);
        return in[0];
    }

    public void reference(Tensor x, Tensor y) {
        Check.notNull(kind(), "input", x);
        Check.shape(kind(), "output", y, x.shape());
        long K = x.shape().size() / x.n();
        for (int n = 0; n < x.n(); n++) {
            long bx = n * x.batchStride(), by = n * y.batchStride();
            double m = Double.NEGATIVE_INFINITY;
            for (long i = 0; i < K; i++) m = Math.max(m, x.get(bx + i));
            double s = 0;
            for (long i = 0; i < K; i++) s += Math.exp(x.get(bx + i) - m);
            for (long i = 0; i < K; i++) y.set(by + i, (float) (Math.exp(x.get(bx + i) - m) / s));
        }
    }
}
