package jcnn.models;

import static jcnn.models.Layers.convBnAct;
import static jcnn.models.Layers.makeDivisible;

import jcnn.graph.Graph;
import jcnn.graph.GraphBuilder;
import jcnn.ops.Activation;
import jcnn.tensor.Shape;

/**
 * MobileNetV2 (Sandler et al. 2018): inverted residuals with linear bottlenecks, torchvision's layout.
 * Node names are torchvision's state-dict paths: {@code features.0.0} (stem conv), {@code features.i.conv.j}
 * inside block i, {@code features.18} (the 1x1 head conv), {@code classifier.1} (the linear layer;
 * classifier.0 is dropout, the identity at inference).
 */
public final class MobileNetV2 {
    private MobileNetV2() {}

    /** The paper's Table 2: expansion t, output channels c, repeats n, stride s of the first repeat. */
    static final int[][] SETTINGS = {
        // t,   c, n, s
        {1,  16, 1, 1},
        {6,  24, 2, 2},
        {6,  32, 3, 2},
        {6,  64, 4, 2},
        {6,  96, 3, 1},
        {6, 160, 3, 2},
        {6, 320, 1, 1},
    };

    /** Width multiplier (channels scaled and rounded to multiples of 8) and number of classes. */
    public record Config(double width, int classes) {
        public Config {
            if (!(width > 0)) throw new IllegalArgumentException("mobilenet_v2: width must be > 0, got " + width);
            if (classes < 1) throw new IllegalArgumentException("mobilenet_v2: classes must be >= 1, got " + classes);
        }
    }

    public static Graph build(String name, Config cfg, Shape input) {
        var b = new GraphBuilder(name, input);
        int x = convBnAct(b, "features.0", b.input(), makeDivisible(32 * cfg.width(), 8), 3, 2, 1, Activation.RELU6);
        int block = 1;
        for (int[] row : SETTINGS) {
            int t = row[0], c = makeDivisible(row[1] * cfg.width(), 8), n = row[2], s = row[3];
            for (int i = 0; i < n; i++) x = invertedResidual(b, "features." + block++, x, c, i == 0 ? s : 1, t);
        }
        // the head conv is never narrowed below 1280: the paper keeps it for widths < 1
        x = convBnAct(b, "features." + block, x, makeDivisible(1280 * Math.max(1.0, cfg.width()), 8), 1, 1, 1, Activation.RELU6);
        return b.build(b.linear("classifier.1", b.globalAvgPool(x), cfg.classes(), true));
    }

    /** PW expand (skipped when t = 1) -> DW 3x3 stride s -> PW project without activation; add when shapes allow. */
    static int invertedResidual(GraphBuilder b, String name, int x, int out, int stride, int t) {
        int in = b.channels(x);
        int hidden = (int) Math.round(in * (double) t);
        int y = x, j = 0;
        if (t != 1) y = convBnAct(b, name + ".conv." + j++, y, hidden, 1, 1, 1, Activation.RELU6);
        y = convBnAct(b, name + ".conv." + j++, y, hidden, 3, stride, hidden, Activation.RELU6);
        y = b.conv(name + ".conv." + j++, y, out, 1, 1, 0);
        y = b.bn(name + ".conv." + j, y);  // linear bottleneck: no activation here
        return stride == 1 && in == out ? b.add(x, y) : y;
    }
}
