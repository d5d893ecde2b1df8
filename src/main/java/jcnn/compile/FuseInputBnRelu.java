package jcnn.compile;

import java.util.List;
import jcnn.graph.Graph;
import jcnn.ops.Activation;
import jcnn.ops.ChannelAffine;
import jcnn.ops.Conv2d;
import jcnn.tensor.Shape;

/**
 * Pass 4: DenseNet's BN-ReLU before a 1x1 conv. A ReLU channel affine whose every reader is a
 * pointwise (1x1, stride 1, groups 1) conv that takes it as its main input is removed; each of
 * those convs applies {@code relu(x*scale + shift)} while it loads its input
 * ({@link Conv2d#inputBnRelu}, weights "NAME.in_scale" and "NAME.in_shift"). The BN-ReLU of a
 * dense layer then costs no pass over the block's ever-growing concatenated input.
 */
public final class FuseInputBnRelu {
    private FuseInputBnRelu() {}

    public static Compiled apply(Compiled c) {
        GraphEdit e = new GraphEdit(c);
        for (int id = 0; id < e.size(); id++) {
            final int i = id;
            if (!(e.op(i) instanceof ChannelAffine ca) || ca.act() != Activation.RELU || e.isOutput(i)) continue;
            List<Integer> rs = e.readers(i);
            if (rs.isEmpty() || !rs.stream().allMatch(r -> takes(e, r, i))) continue;
            float[] scale = e.weight(i, "scale"), shift = e.weight(i, "shift");
            int x = e.input(i, 0);
            for (int r : rs) {
                Conv2d conv = (Conv2d) e.op(r);
                e.set(r, conv.withInputBnRelu(true));
                int[] ins = e.inputs(r);
                ins[0] = x;
                e.setInputs(r, ins);
                e.putWeight(r, "in_scale", Shape.of(ca.channels()), scale);
                e.putWeight(r, "in_shift", Shape.of(ca.channels()), shift);
            }
            e.remove(i, x); // nobody reads it any more
        }
        return e.build();
    }

    private static boolean takes(GraphEdit e, int r, int v) {
        return e.op(r) instanceof Conv2d conv && conv.isPointwise() && conv.groups() == 1 && !conv.inputBnRelu()
            && e.input(r, 0) == v && (!conv.residual() || e.input(r, 1) != v) && !e.removed(r) && r != Graph.INPUT;
    }
}
