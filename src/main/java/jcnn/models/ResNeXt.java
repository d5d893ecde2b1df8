package jcnn.models;

import static jcnn.models.Layers.act;

import jcnn.graph.Graph;
import jcnn.graph.GraphBuilder;
import jcnn.ops.Activation;
import jcnn.tensor.Shape;

/**
 * ResNeXt (Xie et al. 2017) in the grouped-convolution form of its Fig. 3(c), torchvision's layout and
 * names: {@code conv1, bn1, layer1.0.conv1 .. bn3, layer1.0.downsample.0 (conv) / .1 (BN), fc}.
 * Cardinality C and bottleneck width d give a block width of C*d*(planes/64); C = 1, d = 64 is ResNet.
 */
public final class ResNeXt {
    private ResNeXt() {}

    /** Blocks per stage (conv2..conv5) of the paper's Table 1. */
    static final int[] DEPTH_50 = {3, 4, 6, 3}, DEPTH_101 = {3, 4, 23, 3};
    /** planes of stages conv2..conv5; a block's output is 4 * planes. */
    static final int[] PLANES = {64, 128, 256, 512};
    static final int EXPANSION = 4;

    /** Stage depths, cardinality C, width per group d (the "C x d" of the paper's Table 3) and classes. */
    public record Config(int[] layers, int groups, int widthPerGroup, int classes) {
        public Config {
            layers = layers.clone();
            if (layers.length != 4 || groups < 1 || widthPerGroup < 1 || classes < 1) {
                throw new IllegalArgumentException("resnext: bad config " + java.util.Arrays.toString(layers) + " " + groups + "x" + widthPerGroup + "d");
            }
        }
    }

    public static Graph build(String name, Config cfg, Shape input) {
        var b = new GraphBuilder(name, input);
        int x = b.conv("conv1", b.input(), 64, 7, 2, 3);
        x = act(b, "relu", b.bn("bn1", x), Activation.RELU);
        x = b.add("maxpool", new jcnn.ops.MaxPool(3, 2, 1, false), x);
        for (int s = 0; s < 4; s++) {
            for (int i = 0; i < cfg.layers()[s]; i++) {
                x = block(b, "layer" + (s + 1) + "." + i, x, PLANES[s], i == 0 && s > 0 ? 2 : 1, cfg);
            }
        }
        return b.build(b.linear("fc", b.globalAvgPool(x), cfg.classes(), true));
    }

    /** 1x1 -> grouped 3x3 (stride s) -> 1x1, each with BN; shortcut projected where the shape changes. */
    static int block(GraphBuilder b, String name, int x, int planes, int stride, Config cfg) {
        int width = planes * cfg.widthPerGroup() / 64 * cfg.groups();
        int out = planes * EXPANSION;
        int y = act(b, name + ".relu1", b.bn(name + ".bn1", b.conv(name + ".conv1", x, width, 1, 1, 0)), Activation.RELU);
        y = b.conv(name + ".conv2", y, width, 3, stride, 1, cfg.groups(), false);
        y = act(b, name + ".relu2", b.bn(name + ".bn2", y), Activation.RELU);
        y = b.bn(name + ".bn3", b.conv(name + ".conv3", y, out, 1, 1, 0));
        int shortcut = x;
        if (stride != 1 || b.channels(x) != out) {
            shortcut = b.bn(name + ".downsample.1", b.conv(name + ".downsample.0", x, out, 1, stride, 0));
        }
        return act(b, name + ".relu3", b.add(y, shortcut), Activation.RELU);
    }
}
