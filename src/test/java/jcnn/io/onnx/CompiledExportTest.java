package jcnn.io.onnx;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.Method;
import jcnn.graph.Graph;
import jcnn.graph.ReferenceExecutor;
import jcnn.graph.Weights;
import jcnn.models.Zoo;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compiled (fused) graph of every default net exported to ONNX: ORT on it against the
 * reference on the original graph, then imported back. The compile passes live in the exec
 * branch (jcnn.compile.Passes.all); until that is merged this test is skipped, which is why it
 * reaches them by reflection rather than by name.
 */
class CompiledExportTest {
    static Method passes() {
        try {
            return Class.forName("jcnn.compile.Passes").getMethod("all", Graph.class, Weights.class);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"densenet121", "resnext50_32x4d", "squeezenet1_1", "mobilenet_v1", "mobilenet_v2", "shufflenet_v1", "shufflenet_v2_x1_0"})
    void compiledGraphMatchesOrt(String id) throws Exception {
        Method all = passes();
        Assumptions.assumeTrue(all != null, "jcnn.compile not merged yet");
        Graph g = Zoo.build(id, 64);
        Weights w = NetData.randomWeights(g, 42);
        Object c = all.invoke(null, g, w);
        Graph cg = (Graph) c.getClass().getMethod("graph").invoke(c);
        Weights cw = (Weights) c.getClass().getMethod("weights").invoke(c);
        byte[] model = OnnxExporter.toBytes(cg, cw);
        try (Tensor x = NetData.randomInput(g.inputShape(), 7); Tensor ref = ReferenceExecutor.run(g, w, x)) {
            Tensor ort = Ort.run(model, x, 1);
            System.out.printf("compiled-export %-20s %d nodes -> %d: ORT %s%n", id, g.nodes().size(), cg.nodes().size(), NetData.error(ref, ort));
            assertTrue(NetData.close(ref, ort, 1e-4, 1e-5), id + ": " + NetData.error(ref, ort));
            var im = OnnxImporter.fromBytes(model, id, null);
            try (Tensor back = ReferenceExecutor.run(im.graph(), im.weights(), x)) {
                assertTrue(NetData.close(ref, back, 1e-4, 1e-5), id + " re-imported: " + NetData.error(ref, back));
            }
        }
    }
}
