package jcnn.ops;

import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/** {@code y = act(a + b)} for two tensors of one shape (the residual add; ReLU after it for ResNeXt). */
public record Add(Activation act) implements Op {
    public Add { Check.notNull("add", "activation", act); }

    @Override public String kind() { return "add"; }

    @Override
    public Shape outputShape(Shape... in) {
        Check.arity(kind(), in, 2);
        in[0].require(in[1], "add: second input");
        return in[0];
    }

    public void checkArgs(Tensor a, Tensor b, Tensor out) {
        Check.notNull(kind(), "first input", a);
        Check.notNull(kind(), "second input", b);
        Check.shape(kind(), "output", out, outputShape(a.shape(), b.shape()));
    }

    public void reference(Tensor a, Tensor b, Tensor out) {
        checkArgs(a, b, out);
        Elementwise.forEach(a, (n, off) -> out.set(n * out.batchStride() + off,
            (float) act.apply((double) a.get(n * a.batchStride() + off) + b.get(n * b.batchStride() + off))));
    }
}
