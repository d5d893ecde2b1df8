package jcnn.compile;

import jcnn.graph.Node;
import jcnn.ops.*;
import jcnn.tensor.Tensor;

/**
 * A backend made of the scalar references (float64 accumulation): slow, but it runs any plan, so
 * the passes, the memory plan and the executor are testable without any twin. It allocates on the
 * hot path (the references use lambdas); the CPU backend does not.
 */
public final class ReferenceBackend implements Backend {
    public static final ReferenceBackend INSTANCE = new ReferenceBackend();

    private ReferenceBackend() {}

    @Override public String name() { return "reference"; }

    @Override
    public Step step(Node n, Tensor[] in, Tensor out, NativeWeights w, Scratch scratch) {
        Tensor x = in[0];
        return switch (n.op()) {
            case Conv2d c -> {
                Tensor wt = w.tensor(n.weightKey("weight"));
                Tensor b = c.bias() ? w.tensor(n.weightKey("bias")) : null;
                Tensor res = c.residual() ? in[1] : null;
                Tensor sc = c.inputBnRelu() ? w.tensor(n.weightKey("in_scale")) : null;
                Tensor sh = c.inputBnRelu() ? w.tensor(n.weightKey("in_shift")) : null;
                yield () -> c.reference(x, wt, b, res, sc, sh, out);
            }
            case ChannelAffine a -> {
                Tensor sc = w.tensor(n.weightKey("scale")), sh = w.tensor(n.weightKey("shift"));
                yield () -> a.reference(x, sc, sh, out);
            }
            case Act a -> () -> a.reference(x, out);
            case Add a -> () -> a.reference(x, in[1], out);
            case ChannelShuffle s -> () -> s.reference(x, out);
            case MaxPool p -> () -> p.reference(x, out);
            case AvgPool p -> () -> p.reference(x, out);
            case GlobalAvgPool p -> () -> p.reference(x, out);
            case Linear l -> {
                Tensor wt = w.tensor(n.weightKey("weight"));
                Tensor b = l.bias() ? w.tensor(n.weightKey("bias")) : null;
                yield () -> l.reference(x, wt, b, out);
            }
            case Softmax s -> () -> s.reference(x, out);
            case SqueezeExcite e -> {
                Tensor w1 = w.tensor(n.weightKey("fc1.weight")), b1 = w.tensor(n.weightKey("fc1.bias"));
                Tensor w2 = w.tensor(n.weightKey("fc2.weight")), b2 = w.tensor(n.weightKey("fc2.bias"));
                yield () -> e.reference(x, w1, b1, w2, b2, out);
            }
            case Slice s -> () -> s.reference(x, out);
            case Concat c -> () -> c.reference(in, out);
            case BatchNorm b -> throw new IllegalStateException("batchnorm " + n.name() + " survived the compile passes");
        };
    }
}
