package jcnn.models;

import static jcnn.models.Layers.act;
import static jcnn.models.Layers.convBnAct;

import jcnn.graph.Graph;
import jcnn.graph.GraphBuilder;
import jcnn.ops.Activation;
import jcnn.tensor.Shape;

/**
 * ShuffleNet V2 (Ma et al. 2018), torchvision's layout and names: {@code conv1.0} stem conv,
 * {@code stage2.0.branch1.0}, {@code stage2.1.branch2.5}, {@code conv5.0}, {@code fc}.
 * A stride-1 unit splits the channels in halves (two Slice nodes), transforms the second half and
 * concatenates [first half, result]; every unit ends with a channel shuffle of 2 groups.
 */
public final class ShuffleNetV2 {
    private ShuffleNetV2() {}

    /** Units per stage (stages 2, 3, 4), the paper's Table 5. */
    static final int[] REPEATS = {4, 8, 4};

    /** The paper's Table 5: output channels of conv1, stage 2, 3, 4 and conv5 for each width. */
    public enum Width {
        X0_5(24, 48, 96, 192, 1024),
        X1_0(24, 116, 232, 464, 1024),
        X1_5(24, 176, 352, 704, 1024),
        X2_0(24, 244, 488, 976, 2048);

        final int[] channels;
        Width(int... channels) { this.channels = channels; }
    }

    public record Config(Width width, int classes) {
        public Config {
            if (width == null) throw new IllegalArgumentException("shufflenet_v2: width is null");
            if (classes < 1) throw new IllegalArgumentException("shufflenet_v2: classes must be >= 1, got " + classes);
        }
    }

    public static Graph build(String name, Config cfg, Shape input) {
        int[] ch = cfg.width().channels;
        var b = new GraphBuilder(name, input);
        int x = convBnAct(b, "conv1", b.input(), ch[0], 3, 2, 1, Activation.RELU);
        x = b.add("maxpool", new jcnn.ops.MaxPool(3, 2, 1, false), x);
        for (int s = 0; s < REPEATS.length; s++) {
            for (int i = 0; i < REPEATS[s]; i++) {
                String unit = "stage" + (s + 2) + "." + i;
                x = i == 0 ? downUnit(b, unit, x, ch[s + 1]) : basicUnit(b, unit, x);
            }
        }
        x = convBnAct(b, "conv5", x, ch[4], 1, 1, 1, Activation.RELU);
        return b.build(b.linear("fc", b.globalAvgPool(x), cfg.classes(), true));
    }

    /** Stride-1 unit: x1 | branch2(x2), then shuffle. */
    static int basicUnit(GraphBuilder b, String name, int x) {
        int half = b.channels(x) / 2;
        int x1 = b.slice(x, 0, half), x2 = b.slice(x, half, half);
        return b.shuffle(b.concat(x1, branch2(b, name, x2, half, 1)), 2);
    }

    /** Stride-2 unit: both branches see the whole input, each gives half of the output. */
    static int downUnit(GraphBuilder b, String name, int x, int out) {
        int half = out / 2;
        int y1 = b.dwConv(name + ".branch1.0", x, 3, 2, 1);
        y1 = b.bn(name + ".branch1.1", y1);  // no ReLU after a depthwise conv
        y1 = b.conv(name + ".branch1.2", y1, half, 1, 1, 0);
        y1 = act(b, name + ".branch1.4", b.bn(name + ".branch1.3", y1), Activation.RELU);
        return b.shuffle(b.concat(y1, branch2(b, name, x, half, 2)), 2);
    }

    /** PW -> BN -> ReLU -> DW 3x3 -> BN -> PW -> BN -> ReLU, torchvision's branch2.0 .. branch2.7. */
    static int branch2(GraphBuilder b, String name, int x, int out, int stride) {
        String p = name + ".branch2.";
        int y = act(b, p + "2", b.bn(p + "1", b.conv(p + "0", x, out, 1, 1, 0)), Activation.RELU);
        y = b.bn(p + "4", b.dwConv(p + "3", y, 3, stride, 1));
        return act(b, p + "7", b.bn(p + "6", b.conv(p + "5", y, out, 1, 1, 0)), Activation.RELU);
    }
}
