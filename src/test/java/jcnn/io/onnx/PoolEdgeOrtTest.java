package jcnn.io.onnx;

import jcnn.graph.Graph;
import jcnn.graph.GraphBuilder;
import jcnn.tensor.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pooling windows at the edges where PyTorch's and ONNX's rules could part: ceil mode whose last
 * window would start in the right padding, count_include_pad with ceil mode, odd sizes.
 */
class PoolEdgeOrtTest {
    @ParameterizedTest(name = "{0} size {1} k{2} s{3} p{4} ceil {5} countPad {6}")
    @CsvSource({
        "max, 5, 2, 2, 1, true, false",
        "max, 6, 3, 2, 1, true, false",
        "max, 7, 3, 2, 0, true, false",
        "max, 8, 3, 3, 1, true, false",
        "avg, 5, 2, 2, 1, true, false",
        "avg, 5, 2, 2, 1, true, true",
        "avg, 7, 3, 2, 1, true, true",
        "avg, 6, 3, 2, 1, true, true",
        "avg, 8, 3, 3, 1, true, true",
        "avg, 8, 3, 3, 1, true, false",
        "avg, 9, 3, 2, 1, false, true",
        "avg, 10, 3, 2, 1, false, false",
    })
    void matchesOrt(String kind, int size, int k, int s, int p, boolean ceil, boolean countPad) {
        var b = new GraphBuilder("pool", Shape.nchw(1, 2, size, size + 1));
        int y = kind.equals("max") ? b.maxPool(b.input(), k, s, p, ceil) : b.avgPool(b.input(), k, s, p, ceil, countPad);
        Graph g = b.build(y);
        ExportOrtTest.check(g, new jcnn.graph.Weights(), g, 21);
        // and back: the exported form (with its divisor map where needed) imports as one pool computing the same
        var im = OnnxImporter.fromBytes(OnnxExporter.toBytes(g, new jcnn.graph.Weights()), "pool", null);
        org.junit.jupiter.api.Assertions.assertEquals(1, im.graph().nodes().size(), im.graph().nodes().toString());
        RoundTripTest.sameOutput(g, new jcnn.graph.Weights(), im.graph(), im.weights(), 22);
    }
}
