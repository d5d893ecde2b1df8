package jcnn.models;

import static jcnn.models.Layers.act;

import jcnn.graph.Graph;
import jcnn.graph.GraphBuilder;
import jcnn.ops.Activation;
import jcnn.tensor.Shape;

/**
 * MobileNet v1 (Howard et al. 2017), the paper's Table 1 with width multiplier alpha. torchvision has
 * no MobileNet v1; the names follow one Sequential per row: {@code features.0} the stem,
 * {@code features.i} (i = 1..13) separable block i with {@code .0} DW conv, {@code .1} BN, {@code .2} act,
 * {@code .3} PW conv, {@code .4} BN, {@code .5} act; {@code fc} the classifier. In the full-convolution
 * ablation (the paper's Table 4) block i is {@code .0} 3x3 conv, {@code .1} BN, {@code .2} act.
 * The shallow ablation (Table 5) drops the five 14x14x512 blocks; the remaining ones keep their row
 * numbers (features.7 .. features.11 are absent), so weights of shared rows keep their names.
 */
public final class MobileNetV1 {
    private MobileNetV1() {}

    /** The paper's Table 1 after the stem: (output channels, stride of the DW conv). */
    static final int[][] ROWS = {
        {64, 1},
        {128, 2},
        {128, 1},
        {256, 2},
        {256, 1},
        {512, 2},
        {512, 1}, {512, 1}, {512, 1}, {512, 1}, {512, 1},  // "5x" rows, at 14x14
        {1024, 2},
        {1024, 1},  // the table prints s2 here: a typo, the map stays 7x7 (the avg pool is 7x7)
    };
    static final int STEM = 32, FIRST_5X = 7, LAST_5X = 11;

    /**
     * @param width     alpha: every layer has int(c * alpha) channels
     * @param act       ReLU (the paper's figure) or ReLU6 (the common trained releases)
     * @param full      the ablation with full 3x3 convs instead of depthwise separable ones
     * @param shallow   the ablation without the five 14x14x512 separable blocks
     */
    public record Config(double width, Activation act, boolean full, boolean shallow, int classes) {
        public Config {
            if (!(width > 0) || act == null || act == Activation.NONE || classes < 1) {
                throw new IllegalArgumentException("mobilenet_v1: bad config width=" + width + " act=" + act);
            }
        }
    }

    public static Graph build(String name, Config cfg, Shape input) {
        var b = new GraphBuilder(name, input);
        Activation a = cfg.act();
        int x = b.conv("features.0.0", b.input(), ch(STEM, cfg), 3, 2, 1);
        x = act(b, "features.0.2", b.bn("features.0.1", x), a);
        for (int i = 1; i <= ROWS.length; i++) {
            if (cfg.shallow() && i >= FIRST_5X && i <= LAST_5X) continue;
            int out = ch(ROWS[i - 1][0], cfg), s = ROWS[i - 1][1];
            String p = "features." + i;
            if (cfg.full()) {
                x = act(b, p + ".2", b.bn(p + ".1", b.conv(p + ".0", x, out, 3, s, 1)), a);
            } else {
                x = act(b, p + ".2", b.bn(p + ".1", b.dwConv(p + ".0", x, 3, s, 1)), a);
                x = act(b, p + ".5", b.bn(p + ".4", b.conv(p + ".3", x, out, 1, 1, 0)), a);
            }
        }
        return b.build(b.linear("fc", b.globalAvgPool(x), cfg.classes(), true));
    }

    private static int ch(int c, Config cfg) { return (int) (c * cfg.width()); }
}
