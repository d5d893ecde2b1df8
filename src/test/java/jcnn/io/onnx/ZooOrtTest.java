package jcnn.io.onnx;

import static org.junit.jupiter.api.Assertions.*;

import jcnn.graph.Graph;
import jcnn.graph.ReferenceExecutor;
import jcnn.graph.Weights;
import jcnn.models.Zoo;
import jcnn.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every default network, exported to ONNX and run by ONNX Runtime against our ReferenceExecutor
 * (same random weights and input), then imported back and run again. Prints the measured errors.
 * 64x64 for every default net; 224x224 for three of them (about 27 s: the scalar reference).
 */
class ZooOrtTest {
    static final String[] DEFAULT = {"densenet121", "resnext50_32x4d", "squeezenet1_1", "mobilenet_v1", "mobilenet_v2",
        "shufflenet_v1", "shufflenet_v2_x1_0"};

    static void check(String id, int size) {
        long t0 = System.nanoTime();
        Graph g = Zoo.build(id, size);
        Weights w = NetData.randomWeights(g, 42);
        byte[] model = OnnxExporter.toBytes(g, w);
        try (Tensor x = NetData.randomInput(g.inputShape(), 7); Tensor ref = ReferenceExecutor.run(g, w, x)) {
            long t1 = System.nanoTime();
            Tensor ort = Ort.run(model, x, 1);
            NetData.Error e = NetData.error(ref, ort);
            var im = OnnxImporter.fromBytes(model, id, null);
            try (Tensor back = ReferenceExecutor.run(im.graph(), im.weights(), x)) {
                NetData.Error eb = NetData.error(ref, back);
                System.out.printf("onnx-check %-20s %3d: ORT %s; re-imported %s; reference %.1f s, total %.1f s, model %.1f MB%n",
                    id, size, e, eb, (t1 - t0) / 1e9, (System.nanoTime() - t0) / 1e9, model.length / 1e6);
                assertTrue(NetData.close(ref, ort, ExportOrtTest.RTOL, ExportOrtTest.ATOL), id + " vs ORT: " + e);
                assertTrue(NetData.close(ref, back, 1e-5, 1e-6), id + " re-imported: " + eb);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"densenet121", "resnext50_32x4d", "squeezenet1_1", "mobilenet_v1", "mobilenet_v2", "shufflenet_v1", "shufflenet_v2_x1_0"})
    void at64(String id) { check(id, 64); }

    /** Squeeze-and-excitation (the seed's ShuffleNet 2x with SE row, at 0.5x here) against ORT; no re-import (Sigmoid, Mul). */
    @org.junit.jupiter.api.Test
    void squeezeExciteAgainstOrt() {
        String id = "shufflenet_v1:g=3,width=0.5,se=true";
        Graph g = Zoo.build(id, 64);
        Weights w = NetData.randomWeights(g, 42);
        try (Tensor x = NetData.randomInput(g.inputShape(), 7); Tensor ref = ReferenceExecutor.run(g, w, x)) {
            Tensor ort = Ort.run(OnnxExporter.toBytes(g, w), x, 1);
            NetData.Error e = NetData.error(ref, ort);
            System.out.printf("onnx-check %-20s  64: ORT %s%n", id, e);
            assertTrue(NetData.close(ref, ort, ExportOrtTest.RTOL, ExportOrtTest.ATOL), id + " vs ORT: " + e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"squeezenet1_1", "mobilenet_v2", "shufflenet_v2_x1_0"})
    void at224(String id) { check(id, 224); }
}
