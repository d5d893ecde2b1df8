package jcnn.models;

import static jcnn.models.Layers.act;

import jcnn.graph.Graph;
import jcnn.graph.GraphBuilder;
import jcnn.ops.Activation;
import jcnn.ops.MaxPool;
import jcnn.tensor.Shape;

/**
 * SqueezeNet (Iandola et al. 2016): Fire modules, no BN, every conv with a bias. torchvision's layout
 * and names: {@code features.i} is the i-th entry of the features Sequential (conv, ReLU, pool or Fire
 * with {@code .squeeze}, {@code .expand1x1}, {@code .expand3x3}), {@code classifier.1} the final 1x1 conv.
 * The bypass variants of the paper's Fig. 2 (torchvision has none) add {@code features.i.bypass}, a 1x1
 * conv with bias, on the shortcut of a Fire whose input and output channels differ (complex bypass).
 */
public final class SqueezeNet {
    private SqueezeNet() {}

    /** Fire 2..9: squeeze s1x1, expand e1x1, expand e3x3 (the paper's Table 1; the same in 1.0 and 1.1). */
    static final int[][] FIRES = {
        // s1x1, e1x1, e3x3
        {16,  64,  64},  // fire2
        {16,  64,  64},  // fire3
        {32, 128, 128},  // fire4
        {32, 128, 128},  // fire5
        {48, 192, 192},  // fire6
        {48, 192, 192},  // fire7
        {64, 256, 256},  // fire8
        {64, 256, 256},  // fire9
    };

    /** 1.0: the paper's net (7x7/2 conv, 96). 1.1: the SqueezeNet repository's v1.1 (3x3/2 conv, 64; pools moved earlier). */
    public enum Version {
        V1_0(96, 7, 5, 9),   // max pools after conv1, fire4, fire8
        V1_1(64, 3, 4, 6);   // max pools after conv1, fire3, fire5

        final int stem, kernel;
        /** The fires (2..9) that a max pool precedes; fire 2 always follows the first pool. */
        final int poolBefore1, poolBefore2;
        Version(int stem, int kernel, int poolBefore1, int poolBefore2) {
            this.stem = stem;
            this.kernel = kernel;
            this.poolBefore1 = poolBefore1;
            this.poolBefore2 = poolBefore2;
        }
    }

    /** Shortcuts of the paper's Fig. 2: none, identity around fires 3/5/7/9, or also 1x1 convs around 2/4/6/8. */
    public enum Bypass { NONE, SIMPLE, COMPLEX }

    public record Config(Version version, Bypass bypass, int classes) {
        public Config {
            if (version == null || bypass == null || classes < 1) throw new IllegalArgumentException("squeezenet: bad config");
        }
    }

    public static Graph build(String name, Config cfg, Shape input) {
        var b = new GraphBuilder(name, input);
        Version v = cfg.version();
        int i = 0;  // index in torchvision's features Sequential
        int x = b.conv("features." + i++, b.input(), v.stem, v.kernel, 2, 0, 1, true);
        x = act(b, "features." + i++, x, Activation.RELU);
        x = b.add("features." + i++, new MaxPool(3, 2, 0, true), x);
        for (int f = 2; f <= 9; f++) {
            if (f == v.poolBefore1 || f == v.poolBefore2) x = b.add("features." + i++, new MaxPool(3, 2, 0, true), x);
            x = fire(b, "features." + i++, x, FIRES[f - 2], cfg.bypass());
        }
        // classifier.0 is dropout (identity at inference); the net ends in a conv + ReLU + global pool, no linear layer
        x = b.conv("classifier.1", x, cfg.classes(), 1, 1, 0, 1, true);
        x = act(b, "classifier.2", x, Activation.RELU);
        return b.build(b.add("classifier.3", new jcnn.ops.GlobalAvgPool(), x));
    }

    /** squeeze 1x1 + ReLU, then concat(expand 1x1 + ReLU, expand 3x3 + ReLU); optional bypass added after. */
    static int fire(GraphBuilder b, String name, int x, int[] sizes, Bypass bypass) {
        int s = act(b, name + ".squeeze_activation", b.conv(name + ".squeeze", x, sizes[0], 1, 1, 0, 1, true), Activation.RELU);
        int e1 = act(b, name + ".expand1x1_activation", b.conv(name + ".expand1x1", s, sizes[1], 1, 1, 0, 1, true), Activation.RELU);
        int e3 = act(b, name + ".expand3x3_activation", b.conv(name + ".expand3x3", s, sizes[2], 3, 1, 1, 1, true), Activation.RELU);
        int y = b.concat(e1, e3);
        if (bypass == Bypass.NONE) return y;
        if (b.channels(x) == b.channels(y)) return b.add(x, y);
        if (bypass == Bypass.SIMPLE) return y;
        return b.add(b.conv(name + ".bypass", x, b.channels(y), 1, 1, 0, 1, true), y);
    }
}
