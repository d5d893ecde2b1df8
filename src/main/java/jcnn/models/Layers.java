package jcnn.models;

import jcnn.graph.GraphBuilder;
import jcnn.ops.Act;
import jcnn.ops.Activation;

/** Building blocks several families share, named the way torchvision names its modules. */
final class Layers {
    private Layers() {}

    /** A named activation node ({@code NONE} adds nothing and returns x). */
    static int act(GraphBuilder b, String name, int x, Activation a) {
        return a == Activation.NONE ? x : b.add(name, new Act(a), x);
    }

    /**
     * torchvision's Conv2dNormActivation: {@code prefix.0} conv (no bias, "same" padding k/2),
     * {@code prefix.1} BN, {@code prefix.2} activation.
     */
    static int convBnAct(GraphBuilder b, String prefix, int x, int outC, int k, int stride, int groups, Activation a) {
        int y = b.conv(prefix + ".0", x, outC, k, stride, k / 2, groups, false);
        y = b.bn(prefix + ".1", y);
        return act(b, prefix + ".2", y, a);
    }

    /** The channel count a width multiplier gives, rounded like torchvision's _make_divisible(v, 8). */
    static int makeDivisible(double v, int divisor) {
        int r = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        return r < 0.9 * v ? r + divisor : r;  // never round down by more than 10%
    }
}
