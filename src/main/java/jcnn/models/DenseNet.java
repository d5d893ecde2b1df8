package jcnn.models;

import static jcnn.models.Layers.act;

import jcnn.graph.Graph;
import jcnn.graph.GraphBuilder;
import jcnn.ops.Activation;
import jcnn.tensor.Shape;

/**
 * DenseNet (Huang et al. 2017). Each layer of a dense block reads the concatenation of the block's
 * input and every earlier layer's k new channels (one Concat node per layer, in order), so layer i
 * sees c0 + i*k channels. Names follow torchvision's state dict for every variant, the CIFAR ones
 * included (torchvision has none of those, nor DenseNet-264; they use the same scheme):
 * {@code features.conv0, features.norm0, features.denseblock1.denselayer1.{norm1,conv1,norm2,conv2},
 * features.transition1.{norm,conv}, features.norm5, classifier}. A plain (non-bottleneck) layer has
 * only norm1/conv1, its conv1 being the 3x3.
 */
public final class DenseNet {
    private DenseNet() {}

    /**
     * @param blocks     layers per dense block
     * @param growth     k, the channels each layer adds
     * @param stem       channels of the first conv
     * @param bottleneck DenseNet-B: a 1x1 conv to 4k channels before each 3x3
     * @param compression theta: a transition keeps floor(theta * c) channels (1 = none)
     * @param imagenet   ImageNet stem (7x7 s2 conv, BN, ReLU, 3x3 s2 max pool) or the CIFAR one (3x3 conv)
     */
    public record Config(int[] blocks, int growth, int stem, boolean bottleneck, double compression, boolean imagenet, int classes) {
        public Config {
            blocks = blocks.clone();
            if (blocks.length == 0 || growth < 1 || stem < 1 || classes < 1 || !(compression > 0 && compression <= 1)) {
                throw new IllegalArgumentException("densenet: bad config " + java.util.Arrays.toString(blocks) + " k=" + growth);
            }
        }

        /** DenseNet-BC for ImageNet (the paper's Table 1): k = 32, stem 2k, bottleneck 4k, theta 0.5. */
        public static Config imagenet(int classes, int... blocks) { return new Config(blocks, 32, 64, true, 0.5, true, classes); }

        /**
         * The CIFAR nets of the paper's Table 2: three blocks of equal depth. Depth L counts the convs
         * and the classifier: plain L = 3n + 4 (stem 16), BC L = 6n + 4 (stem 2k, theta 0.5).
         */
        public static Config cifar(int depth, int growth, boolean bc, int classes) {
            int perLayer = bc ? 6 : 3;
            if ((depth - 4) % perLayer != 0 || depth <= 4) {
                throw new IllegalArgumentException("densenet: depth " + depth + " is not " + perLayer + "n+4");
            }
            int n = (depth - 4) / perLayer;
            return new Config(new int[] {n, n, n}, growth, bc ? 2 * growth : 16, bc, bc ? 0.5 : 1.0, false, classes);
        }
    }

    public static Graph build(String name, Config cfg, Shape input) {
        var b = new GraphBuilder(name, input);
        int x;
        if (cfg.imagenet()) {
            x = b.conv("features.conv0", b.input(), cfg.stem(), 7, 2, 3);
            x = act(b, "features.relu0", b.bn("features.norm0", x), Activation.RELU);
            x = b.add("features.pool0", new jcnn.ops.MaxPool(3, 2, 1, false), x);
        } else {
            x = b.conv("features.conv0", b.input(), cfg.stem(), 3, 1, 1);  // no BN: each layer starts with its own
        }
        int[] blocks = cfg.blocks();
        for (int i = 0; i < blocks.length; i++) {
            x = denseBlock(b, "features.denseblock" + (i + 1), x, blocks[i], cfg);
            if (i + 1 < blocks.length) x = transition(b, "features.transition" + (i + 1), x, cfg.compression());
        }
        x = act(b, "features.relu5", b.bn("features.norm5", x), Activation.RELU);
        return b.build(b.linear("classifier", b.globalAvgPool(x), cfg.classes(), true));
    }

    /** Layer i reads concat(block input, outputs of layers 1..i-1); the block's output is the concat of all. */
    static int denseBlock(GraphBuilder b, String name, int x, int layers, Config cfg) {
        int[] parts = new int[layers + 1];
        parts[0] = x;
        for (int i = 1; i <= layers; i++) {
            int in = i == 1 ? x : b.concat(java.util.Arrays.copyOf(parts, i));
            parts[i] = denseLayer(b, name + ".denselayer" + i, in, cfg);
        }
        return b.concat(parts);
    }

    /** BN-ReLU-Conv1x1(4k)-BN-ReLU-Conv3x3(k) with a bottleneck, BN-ReLU-Conv3x3(k) without. */
    static int denseLayer(GraphBuilder b, String name, int x, Config cfg) {
        int k = cfg.growth();
        int y = act(b, name + ".relu1", b.bn(name + ".norm1", x), Activation.RELU);
        if (!cfg.bottleneck()) return b.conv(name + ".conv1", y, k, 3, 1, 1);
        y = b.conv(name + ".conv1", y, 4 * k, 1, 1, 0);
        y = act(b, name + ".relu2", b.bn(name + ".norm2", y), Activation.RELU);
        return b.conv(name + ".conv2", y, k, 3, 1, 1);
    }

    /** BN-ReLU-Conv1x1 to floor(theta*c) channels, then 2x2 average pool stride 2. */
    static int transition(GraphBuilder b, String name, int x, double theta) {
        int y = act(b, name + ".relu", b.bn(name + ".norm", x), Activation.RELU);
        y = b.conv(name + ".conv", y, (int) Math.floor(theta * b.channels(x)), 1, 1, 0);
        return b.add(name + ".pool", new jcnn.ops.AvgPool(2, 2, 0, false, true), y);
    }
}
