package jcnn.models;

import static org.junit.jupiter.api.Assertions.*;

import jcnn.graph.Graph;
import jcnn.graph.Node;
import jcnn.ops.Add;
import jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;

/** The seed's SqueezeNet table (the paper's Table 1) and its bypass variants (Fig. 2). */
class SeedSqueezeNetTest {
    private static long params(Graph g, String prefix) {
        return g.nodes().stream().filter(n -> n.name().equals(prefix) || n.name().startsWith(prefix + "."))
            .mapToLong(n -> n.op().params()).sum();
    }

    private static Node node(Graph g, String name) {
        return g.nodes().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no node " + name));
    }

    /** "#parameter before pruning" per layer; torchvision's features index of each layer alongside. */
    @Test
    void parametersPerLayer() {
        Graph g = Zoo.build("squeezenet1_0");
        String[] layer = {"features.0", "features.3", "features.4", "features.5", "features.7", "features.8",
                          "features.9", "features.10", "features.12", "classifier.1"};
        long[] printed = {14_208, 11_920, 12_432, 45_344, 49_440, 104_880, 111_024, 188_992, 197_184, 513_000};
        for (int i = 0; i < layer.length; i++) assertEquals(printed[i], params(g, layer[i]), layer[i]);
        assertEquals(1_248_424, g.params());
        // the compression table's "4.8MB" uncompressed 32-bit model: 1,248,424 * 4 bytes = 4.76 MiB
        Printed.matches("4.8", 1 << 20, g.params() * 4.0, "model size in MiB");
    }

    /**
     * The table's output sizes (111, 55, 27, 13) hold for a 227x227 input, not the 224x224 it prints
     * in its first row: (224 - 7)/2 + 1 = 109, while (227 - 7)/2 + 1 = 111. It also prints maxpool8 as
     * 13x12x512, a typo for 13x13x512 (square input, square kernels).
     */
    @Test
    void outputSizesAt227() {
        Graph g = Zoo.build("squeezenet1_0", 227);
        // conv1, maxpool1, maxpool4, maxpool8, conv10: the spatial sizes of the table
        String[] layer = {"features.0", "features.2", "features.6", "features.11", "classifier.1"};
        int[][] chw = {{96, 111}, {96, 55}, {256, 27}, {512, 13}, {1000, 13}};
        for (int i = 0; i < layer.length; i++) assertEquals(Shape.nchw(1, chw[i][0], chw[i][1], chw[i][1]), node(g, layer[i]).shape(), layer[i]);
        // fire2..fire9 "depth" columns: e1x1 + e3x3 output channels
        String[] fires = {"3", "4", "5", "7", "8", "9", "10", "12"};
        int[] depth = {128, 128, 256, 256, 384, 384, 512, 512};
        for (int i = 0; i < fires.length; i++) {
            Node e1 = node(g, "features." + fires[i] + ".expand1x1"), e3 = node(g, "features." + fires[i] + ".expand3x3");
            assertEquals(depth[i], e1.shape().c() + e3.shape().c(), "fire at features." + fires[i]);
        }
        assertEquals(Shape.nchw(1, 1000, 1, 1), g.outputShape());
        assertEquals(109, Zoo.build("squeezenet1_0").node(0).shape().h());
    }

    /** Simple bypass: identity adds around fires 3, 5, 7, 9; complex: 1x1 convs around 2, 4, 6, 8 too. */
    @Test
    void bypassVariants() {
        Graph plain = Zoo.build("squeezenet1_0"), simple = Zoo.build("squeezenet1_0:bypass=simple");
        Graph complex = Zoo.build("squeezenet1_0:bypass=complex");
        assertEquals(0, plain.count(Add.class));
        assertEquals(4, simple.count(Add.class));
        assertEquals(8, complex.count(Add.class));
        assertEquals(plain.params(), simple.params(), "an identity bypass has no parameters");
        // four 1x1 convs with bias: 96->128, 128->256, 256->384, 384->512
        long extra = (96 * 128 + 128) + (128 * 256 + 256) + (256 * 384 + 384) + (384 * 512 + 512);
        assertEquals(plain.params() + extra, complex.params());
        assertEquals(8, Zoo.build("squeezenet1_1:bypass=complex").count(Add.class));
    }
}
