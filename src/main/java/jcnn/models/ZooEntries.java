package jcnn.models;

import static jcnn.models.Options.ANY_POSITIVE_INT;
import static jcnn.models.Zoo.add;
import static jcnn.models.Zoo.opts;

import jcnn.ops.Activation;

/** The zoo's table: every id, its defaults and options, and which family builds it. */
final class ZooEntries {
    private ZooEntries() {}

    /** ImageNet heads: 1000 classes by default, any number on request. */
    private static final String IMAGENET = "1000|" + ANY_POSITIVE_INT;

    private static void addResNeXt(int depth, int[] layers, int c, int d) {
        String id = "resnext" + depth + "_" + c + "x" + d + "d";
        add(id, "ResNeXt", (c == 1 ? "ResNet-" : "ResNeXt-") + depth + " (" + c + "x" + d + "d)", 224, opts("classes", IMAGENET),
            (n, o, in) -> ResNeXt.build(n, new ResNeXt.Config(layers, c, d, o.integer("classes")), in));
    }

    static void register() {
        // DenseNet-BC for ImageNet, the paper's Table 1
        int[][] dense = {{121, 6, 12, 24, 16}, {169, 6, 12, 32, 32}, {201, 6, 12, 48, 32}, {264, 6, 12, 64, 48}};
        for (int[] d : dense) {
            int[] blocks = java.util.Arrays.copyOfRange(d, 1, 5);
            add("densenet" + d[0], "DenseNet", "DenseNet-" + d[0] + " (k=32, BC)", 224, opts("classes", IMAGENET),
                (n, o, in) -> DenseNet.build(n, DenseNet.Config.imagenet(o.integer("classes"), blocks), in));
        }
        // the CIFAR DenseNets of the paper's Table 2: depth L, growth k, BC or plain
        int[][] cifar = {{40, 12, 0}, {100, 12, 0}, {100, 24, 0}, {100, 12, 1}, {250, 24, 1}, {190, 40, 1}};
        for (int[] c : cifar) {
            boolean bc = c[2] == 1;
            add("densenet_" + (bc ? "bc_" : "") + c[0] + "_k" + c[1], "DenseNet",
                "DenseNet" + (bc ? "-BC" : "") + " L=" + c[0] + " k=" + c[1] + " (CIFAR, 32x32)", 32, opts("classes", "10|100|" + ANY_POSITIVE_INT),
                (n, o, in) -> DenseNet.build(n, DenseNet.Config.cifar(c[0], c[1], bc, o.integer("classes")), in));
        }
        // ResNeXt: the paper's Table 3 ablation (cardinality x width at preserved complexity) plus torchvision's 32x8d
        int[][] cxd = {{1, 64}, {2, 40}, {4, 24}, {8, 14}, {32, 4}};
        for (int depth : new int[] {50, 101}) {
            int[] layers = depth == 50 ? ResNeXt.DEPTH_50 : ResNeXt.DEPTH_101;
            for (int[] g : cxd) addResNeXt(depth, layers, g[0], g[1]);
            if (depth == 101) addResNeXt(depth, layers, 32, 8);
        }
        // SqueezeNet 1.0 (the paper's Table 1) and 1.1; bypass variants of the paper's Fig. 2
        for (SqueezeNet.Version v : SqueezeNet.Version.values()) {
            String id = "squeezenet" + v.name().substring(1);
            add(id, "SqueezeNet", "SqueezeNet " + v.name().substring(1).replace('_', '.'), 224,
                opts("bypass", "none|simple|complex", "classes", IMAGENET),
                (n, o, in) -> SqueezeNet.build(n, new SqueezeNet.Config(v,
                    SqueezeNet.Bypass.valueOf(o.get("bypass").toUpperCase()), o.integer("classes")), in));
        }
        // MobileNet v1: width alpha, resolution rho (the default input size), the Table 4/5 ablations
        add("mobilenet_v1", "MobileNetV1", "MobileNet v1 (alpha, resolution, act, ablations)", 224,
            opts("width", "1.0|0.75|0.5|0.25", "res", "224|192|160|128", "act", "relu6|relu",
                 "conv", "separable|full", "shallow", "false|true", "classes", IMAGENET),
            (n, o, in) -> MobileNetV1.build(n, new MobileNetV1.Config(o.number("width"),
                o.get("act").equals("relu") ? Activation.RELU : Activation.RELU6,
                o.get("conv").equals("full"), o.flag("shallow"), o.integer("classes")), in));
        add("mobilenet_v2", "MobileNetV2", "MobileNetV2 1.0 (torchvision)", 224,
            opts("width", "1.0|0.35|0.5|0.75|1.3|1.4", "classes", IMAGENET),
            (n, o, in) -> MobileNetV2.build(n, new MobileNetV2.Config(o.number("width"), o.integer("classes")), in));
        // ShuffleNet v1: groups g and width s of the paper's Tables 1-3, shuffle off for its ablation
        add("shufflenet_v1", "ShuffleNetV1", "ShuffleNet v1 (g, width, shuffle, SE)", 224,
            opts("g", "3|1|2|4|8", "width", "1.0|0.25|0.5|1.5|2.0", "shuffle", "true|false", "se", "false|true", "classes", IMAGENET),
            (n, o, in) -> ShuffleNetV1.build(n, new ShuffleNetV1.Config(o.integer("g"), o.number("width"),
                o.flag("shuffle"), o.flag("se"), o.integer("classes")), in));
        for (ShuffleNetV2.Width w : ShuffleNetV2.Width.values()) {
            String suffix = w.name().toLowerCase();
            add("shufflenet_v2_" + suffix, "ShuffleNetV2", "ShuffleNet V2 " + suffix.substring(1).replace('_', '.') + "x (torchvision)", 224,
                opts("classes", IMAGENET),
                (n, o, in) -> ShuffleNetV2.build(n, new ShuffleNetV2.Config(w, o.integer("classes")), in));
        }
    }
}
