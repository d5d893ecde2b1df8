package jcnn.models;

import static jcnn.models.Layers.act;

import jcnn.graph.Graph;
import jcnn.graph.GraphBuilder;
import jcnn.ops.Activation;
import jcnn.ops.AvgPool;
import jcnn.ops.MaxPool;
import jcnn.tensor.Shape;

/**
 * ShuffleNet v1 (Zhang et al. 2018), the paper's Table 1. torchvision has none; names follow ResNet's:
 * {@code conv1, bn1} (stem), {@code stage2.0.conv1/bn1} (grouped 1x1), {@code .conv2/bn2} (DW 3x3),
 * {@code .conv3/bn3} (grouped 1x1), {@code fc} (no bias). The channel shuffle sits between bn1's ReLU
 * and the DW conv, with the seed's (and PyTorch's) convention; {@code shuffle=false} drops it, the
 * paper's Table 3 ablation; {@code se=true} adds squeeze-and-excitation ({@code stage2.0.se.fc1/fc2}).
 */
public final class ShuffleNetV1 {
    private ShuffleNetV1() {}

    /** Units per stage (stage 2, 3, 4): one stride-2 unit then 3 / 7 / 3 stride-1 units. */
    static final int[] REPEATS = {4, 8, 4};
    static final int STEM = 24;

    /** Stage 2 output channels at 1x for g = 1, 2, 3, 4, 8 (the paper's Table 1); stages 3 and 4 double it. */
    static int stage2Channels(int groups) {
        return switch (groups) {
            case 1 -> 144;
            case 2 -> 200;
            case 3 -> 240;
            case 4 -> 272;
            case 8 -> 384;
            default -> throw new IllegalArgumentException("shufflenet_v1: groups must be 1, 2, 3, 4 or 8, got " + groups);
        };
    }

    /**
     * @param groups  g of the grouped 1x1 convs
     * @param width   s of "ShuffleNet sx": every stage's channels scaled by s
     * @param shuffle the channel shuffle (false: the paper's ablation)
     * @param se      a squeeze-and-excitation block (reduction 16) on every unit's output, the
     *                paper's "ShuffleNet 2x (with SE)" row. The seed does not say where SE sits; on
     *                the unit's output it gives the printed 527 MFLOPs at 2x g=3 (inside the
     *                residual branch it would give 526.5)
     */
    public record Config(int groups, double width, boolean shuffle, boolean se, int classes) {
        public Config(int groups, double width, boolean shuffle, int classes) { this(groups, width, shuffle, false, classes); }

        public Config {
            stage2Channels(groups);
            if (!(width > 0) || classes < 1) throw new IllegalArgumentException("shufflenet_v1: bad width " + width);
        }

        /**
         * Stage output channels: s times Table 1's, rounded to a multiple of 4g so that the bottleneck
         * (a quarter of them) splits into g groups (exact for every width of the g = 3 column).
         */
        int[] stages() {
            int unit = 4 * groups;
            int c2 = Math.max(unit, (int) Math.round(stage2Channels(groups) * width / unit) * unit);
            return new int[] {c2, 2 * c2, 4 * c2};
        }

        /**
         * Stem channels: 24 at 1x and 1.5x, 48 at 2x, 12 at 0.5x (the published releases); in general
         * 24 * min(width, 1) rounded to 12 or more, or 48 from 2x, then raised until stage 2's first unit,
         * whose main branch gives stage2 - stem channels in g groups, divides evenly.
         */
        int stem() {
            int c = width >= 2 ? 48 : (int) Math.round(STEM * Math.min(width, 1.0));
            c = Math.max(c, 12);
            while ((stages()[0] - c) % groups != 0) c++;
            return c;
        }
    }

    public static Graph build(String name, Config cfg, Shape input) {
        var b = new GraphBuilder(name, input);
        int x = b.conv("conv1", b.input(), cfg.stem(), 3, 2, 1);
        x = act(b, "relu", b.bn("bn1", x), Activation.RELU);
        x = b.add("maxpool", new MaxPool(3, 2, 1, false), x);
        int[] out = cfg.stages();
        for (int s = 0; s < REPEATS.length; s++) {
            for (int i = 0; i < REPEATS[s]; i++) {
                // the very first 1x1 of stage 2 sees only the stem's channels: it is not grouped
                boolean groupedIn = !(s == 0 && i == 0);
                x = unit(b, "stage" + (s + 2) + "." + i, x, out[s], i == 0 ? 2 : 1, groupedIn, cfg);
            }
        }
        return b.build(b.linear("fc", b.globalAvgPool(x), cfg.classes(), false));
    }

    /**
     * GConv1x1 -> BN -> ReLU -> shuffle -> DW3x3 (stride) -> BN -> GConv1x1 -> BN, then
     * stride 1: add the input, ReLU; stride 2: concat [avgpool 3x3/2 of the input, branch], ReLU.
     */
    static int unit(GraphBuilder b, String name, int x, int out, int stride, boolean groupedIn, Config cfg) {
        int in = b.channels(x), g = cfg.groups(), mid = out / 4;
        int y = b.conv(name + ".conv1", x, mid, 1, 1, 0, groupedIn ? g : 1, false);
        y = act(b, name + ".relu1", b.bn(name + ".bn1", y), Activation.RELU);
        if (cfg.shuffle() && g > 1) y = b.shuffle(y, g);
        y = b.bn(name + ".bn2", b.dwConv(name + ".conv2", y, 3, stride, 1));  // no ReLU after the DW conv
        int branchOut = stride == 1 ? out : out - in;
        y = b.bn(name + ".bn3", b.conv(name + ".conv3", y, branchOut, 1, 1, 0, g, false));
        int merged;
        if (stride == 1) {
            merged = b.add(x, y);
        } else {
            int shortcut = b.add(name + ".shortcut", new AvgPool(3, 2, 1, false, true), x);
            merged = b.concat(shortcut, y);
        }
        int y2 = act(b, name + ".relu", merged, Activation.RELU);
        return cfg.se() ? b.se(name + ".se", y2) : y2;
    }
}
