package jcnn.ops;

import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/** A standalone activation, elementwise. The compiler fuses it into the producer's epilogue. */
public record Act(Activation act) implements Op {
    public Act { Check.notNull("act", "activation", act); }

    @Override public String kind() { return "act"; }

    @Override
    public Shape outputShape(Shape... in) {
        Check.arity(kind(), in, 1);
        return in[0];
    }

    public void reference(Tensor in, Tensor out) {
        Check.notNull(kind(), "input", in);
        Check.shape(kind(), "output", out, in.shape());
        Elementwise.forEach(in, (n, off) -> out.set(n * out.batchStride() + off, act.apply(in.get(n * in.batchStride() + off))));
    }
}
