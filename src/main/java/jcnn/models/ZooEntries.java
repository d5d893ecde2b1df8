package jcnn.models;

import static jcnn.models.Options.ANY_POSITIVE_INT;
import static jcnn.models.Zoo.add;
import static jcnn.models.Zoo.opts;

/** The zoo's table: every id, its defaults and options, and which family builds it. */
final class ZooEntries {
    private ZooEntries() {}

    private static final String IMAGENET = "1000|" + ANY_POSITIVE_INT;

    static void register() {
        add("mobilenet_v2", "MobileNetV2", "MobileNetV2 1.0 (torchvision)", 224,
            opts("width", "1.0|0.35|0.5|0.75|1.3|1.4", "classes", IMAGENET),
            (n, o, in) -> MobileNetV2.build(n, new MobileNetV2.Config(o.number("width"), o.integer("classes")), in));
        for (ShuffleNetV2.Width w : ShuffleNetV2.Width.values()) {
            String suffix = w.name().toLowerCase();
            add("shufflenet_v2_" + suffix, "ShuffleNetV2", "ShuffleNet V2 " + suffix.substring(1).replace('_', '.') + "x (torchvision)", 224,
                opts("classes", IMAGENET),
                (n, o, in) -> ShuffleNetV2.build(n, new ShuffleNetV2.Config(w, o.integer("classes")), in));
        }
    }
}
