package jcnn.compile;

import jcnn.graph.Graph;
import jcnn.ops.Act;
import jcnn.ops.Activation;
import jcnn.ops.Add;
import jcnn.ops.ChannelAffine;
import jcnn.ops.Conv2d;

/**
 * Pass 2: a standalone activation after a conv, a channel affine or an add that has no activation
 * yet and no other reader becomes that producer's epilogue activation, and the Act node goes away.
 * An Act after anything else (a concat, a pool) stays and runs as its own step.
 */
public final class FuseActivation {
    private FuseActivation() {}

    public static Compiled apply(Compiled c) {
        GraphEdit e = new GraphEdit(c);
        for (int i = 0; i < e.size(); i++) {
            if (!(e.op(i) instanceof Act a)) continue;
            int p = e.resolve(e.input(i, 0));
            if (p == Graph.INPUT || e.readerCount(p) != 1) continue;
            Activation act = a.act();
            boolean fused = switch (e.op(p)) {
                case Conv2d conv when conv.act() == Activation.NONE -> { e.set(p, conv.withAct(act)); yield true; }
                case ChannelAffine ca when ca.act() == Activation.NONE -> { e.set(p, new ChannelAffine(ca.channels(), act)); yield true; }
                case Add add when add.act() == Activation.NONE -> { e.set(p, new Add(act)); yield true; }
                default -> false;
            };
            if (fused) e.remove(i, p);
        }
        return e.build();
    }
}
