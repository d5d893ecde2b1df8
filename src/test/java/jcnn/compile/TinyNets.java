package jcnn.compile;

import jcnn.graph.Graph;
import jcnn.graph.GraphBuilder;
import jcnn.tensor.Shape;

/** Small graphs with each family's patterns, for the pass and plan tests (fast under the reference). */
final class TinyNets {
    private TinyNets() {}

    static final String[] ALL = {"dense_chain", "dense_flat", "resnext", "mbv2", "shuffle_v1", "shuffle_v2", "squeeze"};

    static Graph build(String id, int batch) {
        Shape in = Shape.nchw(batch, 3, 9, 9);
        var b = new GraphBuilder(id, in);
        int x = b.relu(b.bn("bn0", b.conv("conv0", b.input(), 8, 3, 1, 1)));
        int y = switch (id) {
            case "dense_chain" -> dense(b, x, true);
            case "dense_flat" -> dense(b, x, false);
            case "resnext" -> resnext(b, x);
            case "mbv2" -> mbv2(b, x);
            case "shuffle_v1" -> shuffleV1(b, x);
            case "shuffle_v2" -> shuffleV2(b, x);
            case "squeeze" -> squeeze(b, x);
            default -> throw new IllegalArgumentException(id);
        };
        return b.build(b.linear("fc", b.globalAvgPool(y), 7, true));
    }

    /** DenseNet: BN-ReLU-conv1x1-BN-ReLU-conv3x3 layers; concat of concat (chain) or of all (flat). */
    private static int dense(GraphBuilder b, int x, boolean chain) {
        int[] parts = {x};
        int cat = x;
        for (int i = 0; i < 3; i++) {
            String n = "block.layer" + i;
            int h = b.relu(b.bn(n + ".norm1", cat));
            h = b.relu(b.bn(n + ".norm2", b.conv(n + ".conv1", h, 12, 1, 1, 0)));
            h = b.conv(n + ".conv2", h, 4, 3, 1, 1);
            parts = java.util.Arrays.copyOf(parts, parts.length + 1);
            parts[parts.length - 1] = h;
            cat = chain ? b.concat(cat, h) : b.concat(parts);
        }
        int t = b.relu(b.bn("trans.norm", cat));
        t = b.avgPool(b.conv("trans.conv", t, 10, 1, 1, 0), 2, 2, 0, false, false);
        return b.relu(b.bn("norm5", t));
    }

    /** ResNeXt bottlenecks: projection shortcut, then identity; ReLU after each add. */
    private static int resnext(GraphBuilder b, int x) {
        for (int blk = 0; blk < 2; blk++) {
            String n = "layer1." + blk;
            int s = blk == 0 ? 2 : 1;
            int h = b.relu(b.bn(n + ".bn1", b.conv(n + ".conv1", x, 8, 1, 1, 0)));
            h = b.relu(b.bn(n + ".bn2", b.conv(n + ".conv2", h, 8, 3, s, 1, 4, false)));
            h = b.bn(n + ".bn3", b.conv(n + ".conv3", h, 16, 1, 1, 0));
            int sc = blk == 0 ? b.bn(n + ".downsample.1", b.conv(n + ".downsample.0", x, 16, 1, s, 0)) : x;
            x = b.relu(b.add(h, sc));
        }
        return x;
    }

    /** MobileNetV2 inverted residuals with ReLU6 and a linear bottleneck, one with the residual add. */
    private static int mbv2(GraphBuilder b, int x) {
        for (int blk = 0; blk < 2; blk++) {
            String n = "features." + blk;
            int h = b.relu6(b.bn(n + ".bn0", b.conv(n + ".pw", x, 24, 1, 1, 0)));
            h = b.relu6(b.bn(n + ".bn1", b.dwConv(n + ".dw", h, 3, 1, 1)));
            h = b.bn(n + ".bn2", b.conv(n + ".pwl", h, 8, 1, 1, 0));
            x = blk == 1 ? b.add(x, h) : h;
        }
        return b.relu6(b.bn("last.bn", b.conv("last.conv", x, 16, 1, 1, 0)));
    }

    /** ShuffleNet v1: grouped 1x1, shuffle(2), DW, grouped 1x1, add + ReLU; stride-2 unit with avgpool shortcut. */
    private static int shuffleV1(GraphBuilder b, int x) {
        String n = "stage2.0";
        int h = b.relu(b.bn(n + ".bn1", b.conv(n + ".g1", x, 4, 1, 1, 0, 2, false)));
        h = b.shuffle(h, 2);
        h = b.bn(n + ".bn2", b.dwConv(n + ".dw", h, 3, 2, 1));
        h = b.bn(n + ".bn3", b.conv(n + ".g2", h, 8, 1, 1, 0, 2, false));
        x = b.relu(b.concat(b.avgPool(x, 3, 2, 1, false, true), h));
        n = "stage2.1";
        h = b.relu(b.bn(n + ".bn1", b.conv(n + ".g1", x, 4, 1, 1, 0, 2, false)));
        h = b.shuffle(h, 2);
        h = b.bn(n + ".bn2", b.dwConv(n + ".dw", h, 3, 1, 1));
        h = b.bn(n + ".bn3", b.conv(n + ".g2", h, 16, 1, 1, 0, 2, false));
        return b.relu(b.add(h, x));
    }

    /** ShuffleNet v2: stride-2 unit, stride-1 unit with split, concat + shuffle(2), then a 1x1 conv. */
    private static int shuffleV2(GraphBuilder b, int x) {
        String n = "stage2.0";
        int y1 = b.relu(b.bn(n + ".b1.bn2", b.conv(n + ".b1.pw", b.bn(n + ".b1.bn1", b.dwConv(n + ".b1.dw", x, 3, 2, 1)), 8, 1, 1, 0)));
        int y2 = b.relu(b.bn(n + ".b2.bn1", b.conv(n + ".b2.pw1", x, 8, 1, 1, 0)));
        y2 = b.bn(n + ".b2.bn2", b.dwConv(n + ".b2.dw", y2, 3, 2, 1));
        y2 = b.relu(b.bn(n + ".b2.bn3", b.conv(n + ".b2.pw2", y2, 8, 1, 1, 0)));
        x = b.shuffle(b.concat(y1, y2), 2);
        n = "stage2.1";
        int x1 = b.slice(x, 0, 8), x2 = b.slice(x, 8, 8);
        y2 = b.relu(b.bn(n + ".b2.bn1", b.conv(n + ".b2.pw1", x2, 8, 1, 1, 0)));
        y2 = b.bn(n + ".b2.bn2", b.dwConv(n + ".b2.dw", y2, 3, 1, 1));
        y2 = b.relu(b.bn(n + ".b2.bn3", b.conv(n + ".b2.pw2", y2, 8, 1, 1, 0)));
        x = b.shuffle(b.concat(x1, y2), 2);
        return b.relu(b.bn("conv5.bn", b.conv("conv5.conv", x, 20, 1, 1, 0)));
    }

    /** SqueezeNet fire modules: biased convs, ReLU, concat of the two expands; ceil-mode maxpool. */
    private static int squeeze(GraphBuilder b, int x) {
        x = b.maxPool(x, 3, 2, 0, true);
        for (int f = 0; f < 2; f++) {
            String n = "fire" + f;
            int s = b.relu(b.conv(n + ".squeeze", x, 4, 1, 1, 0, 1, true));
            x = b.concat(b.relu(b.conv(n + ".e1", s, 6, 1, 1, 0, 1, true)), b.relu(b.conv(n + ".e3", s, 6, 3, 1, 1, 1, true)));
        }
        return b.relu(b.conv("classifier", x, 9, 1, 1, 0, 1, true));
    }
}
