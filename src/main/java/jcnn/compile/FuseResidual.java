package jcnn.compile;

import jcnn.graph.Graph;
import jcnn.ops.Activation;
import jcnn.ops.Add;
import jcnn.ops.Conv2d;

/**
 * Pass 3: {@code act(conv(x) + other)} becomes one conv with a residual epilogue reading
 * {@code other}: {@code y = act(conv(x) + bias + other)}. Only an input of the Add that is a conv
 * without activation (an activation before the add cannot move after it), without a residual of
 * its own and with the Add as its only reader can be fused; the Add's activation (ResNeXt's and
 * ShuffleNet v1's ReLU after the add, fused by {@link FuseActivation} first) moves into the conv.
 * When both inputs qualify the later one is fused, so the fused conv, which takes the Add's place
 * in the order, moves the least. The other input stays live until then (liveness sees that).
 */
public final class FuseResidual {
    private FuseResidual() {}

    public static Compiled apply(Compiled c) {
        GraphEdit e = new GraphEdit(c);
        for (int i = 0; i < e.size(); i++) {
            if (!(e.op(i) instanceof Add add)) continue;
            int a = e.resolve(e.input(i, 0)), b = e.resolve(e.input(i, 1));
            int pick = -1;
            if (fusable(e, b, a)) pick = 1;
            if (fusable(e, a, b) && (pick < 0 || a > b)) pick = 0;
            if (pick < 0) continue;
            int conv = pick == 0 ? a : b, other = pick == 0 ? b : a;
            Conv2d op = (Conv2d) e.op(conv);
            e.set(i, e.name(conv), op.withResidual(true).withAct(add.act()), e.input(conv, 0), other);
            e.remove(conv, i);
        }
        return e.build();
    }

    private static boolean fusable(GraphEdit e, int v, int other) {
        return v != Graph.INPUT && v != other && e.op(v) instanceof Conv2d conv && conv.act() == Activation.NONE
            && !conv.residual() && e.readerCount(v) == 1;
    }
}
