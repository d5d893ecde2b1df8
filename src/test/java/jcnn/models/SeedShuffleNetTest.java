package jcnn.models;

import static jcnn.models.Printed.convMacs;
import static jcnn.models.Printed.matches;
import static jcnn.models.Printed.near;
import static org.junit.jupiter.api.Assertions.*;

import jcnn.graph.Graph;
import jcnn.graph.Node;
import jcnn.ops.ChannelShuffle;
import jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The seed's ShuffleNet v1 tables (the paper's Tables 1-3 and the comparison with MobileNet).
 * Table 1's "Complexity" row matches to the MFLOP only without the classifier (conv layers only):
 * g=1..8 give 142.50 / 140.04 / 136.50 / 133.25 / 136.83 M conv mult-adds (143/140/137/133/137 printed),
 * and 143.08 / 140.84 / 137.46 / 134.34 / 138.37 M with the bias-free FC (ARCHITECTURES.md's numbers).
 * The comparison table's 524 (2x) and 292 (1.5x) match only with the FC (524.05 / 292.44 M; without it
 * 522.13 / 291.00 M): the paper counts differently in different tables.
 */
class SeedShuffleNetTest {
    @ParameterizedTest(name = "g={0}")
    @CsvSource(delimiter = ';', textBlock = """
        1; 144; 143
        2; 200; 140
        3; 240; 137
        4; 272; 133
        8; 384; 137
        """)
    void table1(int g, int stage2, String mflops) {
        Graph net = Zoo.build("shufflenet_v1:g=" + g);
        matches(mflops, 1e6, convMacs(net), "g=" + g + " complexity (conv layers)");
        int[] size = {28, 14, 7};
        for (int s = 0; s < 3; s++) {
            int units = s == 1 ? 8 : 4;
            for (int i = 0; i < units; i++) {
                Node last = node(net, "stage" + (s + 2) + "." + i + ".relu");
                assertEquals(Shape.nchw(1, stage2 << s, size[s], size[s]), last.shape(), last.name());
            }
        }
        assertEquals(Shape.nchw(1, 24, 112, 112), net.node(0).shape());
        assertEquals(Shape.of(1, 1000), net.outputShape());
    }

    /**
     * Table 2 gives one complexity per width for all five g (140 / 38 / 13 MFLOPs): a budget, not a
     * count. Every g lies within 10% of it (conv layers, as Table 1), except g=8 at 0.25x: 15.34 M,
     * +18%. At 0.25x the channels (96 at stage 2) are fixed by the table but the stem is not; ours stays
     * at 12 channels, raised to 16 so stage 2's first main branch (96 - stem) splits into 8 groups, and
     * that stem costs 112*112*16*27 = 5.4 M of the 15.3.
     */
    @ParameterizedTest(name = "{0}x g={1}")
    @CsvSource(delimiter = ';', textBlock = """
        1.0;  1; 140
        1.0;  2; 140
        1.0;  3; 140
        1.0;  4; 140
        1.0;  8; 140
        0.5;  1; 38
        0.5;  2; 38
        0.5;  3; 38
        0.5;  4; 38
        0.5;  8; 38
        0.25; 1; 13
        0.25; 2; 13
        0.25; 3; 13
        0.25; 4; 13
        """)
    void table2Budgets(String width, int g, double mflops) {
        near(mflops * 1e6, 0.10, convMacs(Zoo.build("shufflenet_v1:g=" + g + ",width=" + width)), width + "x g=" + g);
    }

    /** Table 3: the same nets without the shuffle: no shuffle node, identical parameters and cost. */
    @ParameterizedTest(name = "{0}x g={1}")
    @CsvSource(delimiter = ';', textBlock = """
        1.0;  3
        1.0;  8
        0.5;  3
        0.5;  8
        0.25; 3
        0.25; 8
        """)
    void table3NoShuffle(String width, int g) {
        Graph with = Zoo.build("shufflenet_v1:g=" + g + ",width=" + width);
        Graph without = Zoo.build("shufflenet_v1:g=" + g + ",width=" + width + ",shuffle=false");
        assertEquals(16, with.count(ChannelShuffle.class), "one shuffle per unit");
        assertEquals(0, without.count(ChannelShuffle.class));
        assertEquals(with.params(), without.params());
        assertEquals(with.macs(), without.macs());
    }

    /**
     * The comparison with MobileNet. "2x (with SE)" is built with squeeze-and-excitation (reduction 16)
     * on every unit's output; "0.5x (shallow, g=3)" cannot be: it is named but its depth is not given.
     */
    @Test
    void comparisonWithMobileNet() {
        matches("524", 1e6, Zoo.build("shufflenet_v1:g=3,width=2.0").macs(), "2x g=3");
        matches("527", 1e6, Zoo.build("shufflenet_v1:g=3,width=2.0,se=true").macs(), "2x g=3 with SE");
        matches("292", 1e6, Zoo.build("shufflenet_v1:g=3,width=1.5").macs(), "1.5x g=3");
        near(140e6, 0.05, Zoo.build("shufflenet_v1:g=8").macs(), "1x g=8 (Table 1 prints 137 for it)");
        near(38e6, 0.10, Zoo.build("shufflenet_v1:g=4,width=0.5").macs(), "0.5x g=4");
    }

    private static Node node(Graph g, String name) {
        return g.nodes().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no node " + name));
    }
}
