package jcnn.compile;

import jcnn.graph.Graph;
import jcnn.ops.Activation;
import jcnn.ops.BatchNorm;
import jcnn.ops.ChannelAffine;
import jcnn.ops.Conv2d;
import jcnn.tensor.Shape;

/**
 * Pass 1: every BatchNorm disappears. A BN whose input is a conv that nobody else reads (no
 * activation, no residual epilogue yet) is folded into that conv's weight and bias
 * ({@link BatchNorm#foldInto}); any other BN becomes a {@link ChannelAffine} (scale, shift), which
 * later passes may fuse with a ReLU and push into the next 1x1 conv's input prologue.
 */
public final class FoldBatchNorm {
    private FoldBatchNorm() {}

    public static Compiled apply(Compiled c) {
        GraphEdit e = new GraphEdit(c);
        for (int i = 0; i < e.size(); i++) {
            if (!(e.op(i) instanceof BatchNorm bn)) continue;
            float[] gamma = e.weight(i, "weight"), beta = e.weight(i, "bias");
            float[] mean = e.weight(i, "running_mean"), var = e.weight(i, "running_var");
            int p = e.resolve(e.input(i, 0));
            if (p != Graph.INPUT && e.op(p) instanceof Conv2d conv && e.readerCount(p) == 1
                && conv.act() == Activation.NONE && !conv.residual() && conv.outC() == bn.channels()) {
                float[][] wb = bn.foldInto(conv, e.weight(p, "weight"), conv.bias() ? e.weight(p, "bias") : null,
                    gamma, beta, mean, var);
                e.putWeight(p, "weight", conv.weightShape(), wb[0]);
                e.putWeight(p, "bias", Shape.of(conv.outC()), wb[1]);
                e.set(p, conv.withBias(true));
                e.remove(i, p);
            } else {
                float[][] ss = bn.scaleShift(gamma, beta, mean, var);
                e.putWeight(i, "scale", Shape.of(bn.channels()), ss[0]);
                e.putWeight(i, "shift", Shape.of(bn.channels()), ss[1]);
                e.set(i, new ChannelAffine(bn.channels(), Activation.NONE));
            }
        }
        return e.build();
    }
}
