package jcnn.graph;

import jcnn.ops.*;
import jcnn.tensor.Tensor;

/**
 * Runs a graph node by node with the scalar references (float64 accumulation). Slow; it is the
 * oracle the compiled plans and every backend are checked against.
 */
public final class ReferenceExecutor {
    private ReferenceExecutor() {}

    /** The graph's output for {@code input} (a new tensor the caller closes). */
    public static Tensor run(Graph g, Weights w, Tensor input) {
        Tensor[] all = runAll(g, w, input);
        Tensor out = all[g.outputId()];
        for (Tensor t : all) if (t != out) t.close();
        return out;
    }

    /** Every node's output (new tensors the caller closes), indexed by node id. */
    public static Tensor[] runAll(Graph g, Weights w, Tensor input) {
        g.inputShape().require(input.shape(), g.name() + " input");
        Tensor[] v = new Tensor[g.nodes().size()];
        try {
            for (Node n : g.nodes()) {
                Tensor out = Tensor.allocate(n.shape());
                v[n.id()] = out;
                Tensor x = arg(v, input, n, 0);
                switch (n.op()) {
                    case Conv2d c -> c.reference(x, w.tensor(n.weightKey("weight")), c.bias() ? w.tensor(n.weightKey("bias")) : null,
                        c.residual() ? arg(v, input, n, 1) : null,
                        c.inputBnRelu() ? w.tensor(n.weightKey("in_scale")) : null,
                        c.inputBnRelu() ? w.tensor(n.weightKey("in_shift")) : null, out);
                    case BatchNorm b -> b.reference(x, w.tensor(n.weightKey("weight")), w.tensor(n.weightKey("bias")),
                        w.tensor(n.weightKey("running_mean")), w.tensor(n.weightKey("running_var")), out);
                    case ChannelAffine a -> a.reference(x, w.tensor(n.weightKey("scale")), w.tensor(n.weightKey("shift")), out);
                    case Act a -> a.reference(x, out);
                    case Add a -> a.reference(x, arg(v, input, n, 1), out);
                    case Concat c -> {
                        Tensor[] xs = new Tensor[n.arity()];
                        for (int i = 0; i < xs.length; i++) xs[i] = arg(v, input, n, i);
                        c.reference(xs, out);
                    }
                    case Slice s -> s.reference(x, out);
                    case ChannelShuffle s -> s.reference(x, out);
                    case MaxPool p -> p.reference(x, out);
                    case AvgPool p -> p.reference(x, out);
                    case GlobalAvgPool p -> p.reference(x, out);
                    case Linear l -> l.reference(x, w.tensor(n.weightKey("weight")), l.bias() ? w.tensor(n.weightKey("bias")) : null, out);
                    case Softmax s -> s.reference(x, out);
                    case SqueezeExcite e -> e.reference(x, w.tensor(n.weightKey("fc1.weight")), w.tensor(n.weightKey("fc1.bias")),
                        w.tensor(n.weightKey("fc2.weight")), w.tensor(n.weightKey("fc2.bias")), out);
                }
            }
            return v;
        } catch (RuntimeException e) {
            for (Tensor t : v) if (t != null) t.close();
            throw e;
        }
    }

    private static Tensor arg(Tensor[] v, Tensor input, Node n, int i) {
        int id = n.input(i);
        return id == Graph.INPUT ? input : v[id];
    }
}
