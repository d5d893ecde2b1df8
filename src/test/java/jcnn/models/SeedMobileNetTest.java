package jcnn.models;

import static jcnn.models.Printed.linearParams;
import static jcnn.models.Printed.matches;
import static org.junit.jupiter.api.Assertions.*;

import jcnn.graph.Graph;
import jcnn.graph.GraphBuilder;
import jcnn.graph.Node;
import jcnn.ops.Conv2d;
import jcnn.ops.Linear;
import jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The seed's MobileNet v1 tables (the paper's Tables 2-7 and the distillation table), "Million
 * Mult-Adds" and "Million Parameters" at the precision printed. The paper is not consistent about the
 * classifier: most rows count its 1024*alpha*1000 mult-adds, two rows only match without them
 * (column "fc": all = every layer, conv = the conv layers only). Each such row says why.
 */
class SeedMobileNetTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
        mobilenet_v1;                      569;  4.2;  all
        mobilenet_v1:width=0.75;           325;  2.6;  all
        mobilenet_v1:width=0.5;            149;  1.3;  all
        mobilenet_v1:width=0.25;           41;   0.5;  all
        mobilenet_v1:res=192;              418;  4.2;  all
        mobilenet_v1:res=128;              186;  4.2;  all
        mobilenet_v1:shallow=true;         307;  2.9;  all
        mobilenet_v1:res=160;              290;  4.2;  conv
        mobilenet_v1:conv=full;            4866; 29.3; conv
        """)
    void tables4to7(String spec, String mmacs, String mparams, String fc) {
        Graph g = Zoo.build(spec);
        // res=160: 290.68 M with the classifier (rounds to 291), 289.65 M without (290).
        // conv=full (Table 4, "Conv MobileNet"): 4867.29 M with the classifier, 4866.27 M without.
        // The 1.0-224 row (569) only matches with it: 568.74 M with, 567.72 M without.
        long macs = fc.equals("all") ? g.macs() : Printed.convMacs(g);
        matches(mmacs, 1e6, macs, spec + " mult-adds");
        matches(mparams, 1e6, g.params(), spec + " params");
    }

    /** Table 1's shapes: 112 after the stem, 7x7x1024 before the pool (so the last DW has stride 1). */
    @Test
    void table1Shapes() {
        Graph g = Zoo.build("mobilenet_v1");
        assertEquals(Shape.nchw(1, 32, 112, 112), g.node(0).shape());
        Node lastPw = g.nodes().stream().filter(n -> n.name().equals("features.13.3")).findFirst().orElseThrow();
        assertEquals(Shape.nchw(1, 1024, 7, 7), lastPw.shape());
        assertEquals(Shape.of(1, 1000), g.outputShape());
        // the paper: "MobileNet has 28 layers", counting DW and PW separately: 1 + 13 * 2 convs and the FC
        assertEquals(28, g.nodes().stream().filter(n -> n.op() instanceof Conv2d || n.op() instanceof Linear).count());
    }

    /**
     * Table 2, "Resource per layer type" for 1.0 MobileNet-224. Mult-adds: 1x1 94.86%, DW 3.06%, FC 0.18%
     * match. The printed "Conv 3x3: 1.19%" does not: the stem is 112*112*32*27 = 10,838,016 of
     * 568,740,352 mult-adds = 1.91%, and the printed column sums to 99.29%, not 100%. Parameters match
     * counting weights only (no biases, no BN), as the paper's 74.59/1.06/0.02/24.33 (sum 100.00) imply.
     */
    @Test
    void table2ResourcePerLayerType() {
        Graph g = Zoo.build("mobilenet_v1");
        double[] macs = new double[4], weights = new double[4];
        for (Node n : g.nodes()) {
            int k = switch (n.op()) {
                case Conv2d c when c.isDepthwise() -> 1;
                case Conv2d c when c.kernel() == 1 -> 0;
                case Conv2d c -> 2;
                case Linear l -> 3;
                default -> -1;
            };
            if (k < 0) continue;
            macs[k] += g.macs(n);
            weights[k] += n.op().weightShapes().get("weight").size();
        }
        double tm = macs[0] + macs[1] + macs[2] + macs[3], tw = weights[0] + weights[1] + weights[2] + weights[3];
        matches("94.86", 1, 100 * macs[0] / tm, "conv 1x1 mult-adds %");
        matches("3.06", 1, 100 * macs[1] / tm, "conv dw mult-adds %");
        matches("1.91", 1, 100 * macs[2] / tm, "conv 3x3 mult-adds % (printed 1.19, see above)");
        matches("0.18", 1, 100 * macs[3] / tm, "fc mult-adds %");
        matches("74.59", 1, 100 * weights[0] / tw, "conv 1x1 params %");
        matches("1.06", 1, 100 * weights[1] / tw, "conv dw params %");
        matches("0.02", 1, 100 * weights[2] / tw, "conv 3x3 params %");
        matches("24.33", 1, 100 * weights[3] / tw, "fc params %");
    }

    /**
     * Table 3: one 3x3 layer, 14x14 map, 512 -> 512 channels, made cheaper step by step (weights only).
     * Built with GraphBuilder, the same ops the nets use.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
        Convolution;                 512; 14; false; 462;  2.36
        Depthwise Separable Conv;    512; 14; true;  52.3; 0.27
        alpha = 0.75;                384; 14; true;  29.6; 0.15
        rho = 0.714;                 384; 10; true;  15.1; 0.15
        """)
    void table3OneLayer(String row, int c, int size, boolean separable, String mmacs, String mparams) {
        var b = new GraphBuilder(row, Shape.nchw(1, c, size, size));
        int x = separable ? b.conv("pw", b.dwConv("dw", b.input(), 3, 1, 1), c, 1, 1, 0) : b.conv("conv", b.input(), c, 3, 1, 1);
        Graph g = b.build(x);
        matches(mmacs, 1e6, g.macs(), row + " mult-adds");
        matches(mparams, 1e6, g.params(), row + " params");
    }

    /**
     * The distillation table (face attributes): its MobileNets have another head, so we compare the
     * backbone (our net less its 1000-way classifier). These rows match: 1.0-224 568 / 3.2, 0.5-224 149 / 0.8,
     * 1.0-128 185 / 3.2, and 0.2 M params for both 0.25 rows. These do not: 0.25-224 "45" (backbone
     * 40.77 M, 41.03 M with a 1000-way FC), 0.5-128 "48" (48.65 M, rounds to 49), 0.25-128 "15" (13.31 M);
     * the head of that model is not given, so no count of ours can be checked against them.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
        mobilenet_v1;                      568; 3.2
        mobilenet_v1:width=0.5;            149; 0.8
        mobilenet_v1:res=128;              185; 3.2
        mobilenet_v1:width=0.25;           -;   0.2
        mobilenet_v1:width=0.25,res=128;   -;   0.2
        """)
    void distillationBackbones(String spec, String mmacs, String mparams) {
        Graph g = Zoo.build(spec);
        if (!mmacs.equals("-")) matches(mmacs, 1e6, Printed.convMacs(g), spec + " backbone mult-adds");
        matches(mparams, 1e6, g.params() - linearParams(g), spec + " backbone params");
    }

    @Test
    void activationOption() {
        Graph relu = Zoo.build("mobilenet_v1:act=relu"), relu6 = Zoo.build("mobilenet_v1");
        assertEquals(relu.params(), relu6.params());
        assertTrue(relu.nodes().stream().anyMatch(n -> n.op() instanceof jcnn.ops.Act a && a.act() == jcnn.ops.Activation.RELU));
        assertTrue(relu6.nodes().stream().noneMatch(n -> n.op() instanceof jcnn.ops.Act a && a.act() == jcnn.ops.Activation.RELU));
        assertEquals(160, Zoo.parse("mobilenet_v1:res=160").defaultSize());
        assertEquals(Shape.nchw(1, 3, 160, 160), Zoo.build("mobilenet_v1:res=160").inputShape());
    }
}
