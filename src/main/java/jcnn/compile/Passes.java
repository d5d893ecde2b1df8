package jcnn.compile;

import jcnn.graph.Graph;
import jcnn.graph.Weights;

/**
 * The compile passes in order, each a function (graph, weights) -> (graph, weights) that preserves
 * the output (tested against {@link jcnn.graph.ReferenceExecutor} on the original graph):
 * fold BN, fuse activations, fuse residual adds (then activations again, for an Act that followed
 * an add), DenseNet's BN-ReLU into the next 1x1 conv's input prologue, and channel-shuffle folding.
 * Concat in place, zero-copy slices and buffer liveness happen later, in {@link MemoryPlan}.
 */
public final class Passes {
    private Passes() {}

    public static Compiled all(Graph g, Weights w) {
        w.requireFor(g);
        Compiled c = new Compiled(g, w);
        c = FoldBatchNorm.apply(c);
        c = FuseActivation.apply(c);
        c = FuseResidual.apply(c);
        c = FuseActivation.apply(c);
        c = FuseInputBnRelu.apply(c);
        c = FoldShuffle.apply(c);
        return c;
    }
}
