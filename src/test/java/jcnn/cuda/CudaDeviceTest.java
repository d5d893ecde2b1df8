package jcnn.cuda;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import jcnn.graph.Graph;
import jcnn.graph.ReferenceExecutor;
import jcnn.graph.Weights;
import jcnn.models.Zoo;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jcnn.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cuda device. Without a GPU (CI): opening it fails with the probe's one-line reason and loads
 * no JCuda native. With one (bench/gpu/run.sh on a lent H200): every default net at 64x64, batch 1
 * and 2, with and without the CUDA graph, against the reference executor (DeviceModelTest's
 * tolerance), and every device allocation freed on close.
 */
class CudaDeviceTest {
    static boolean gpu() { return CudaDriverProbe.probe().available(); }

    @Test
    void withoutAGpuOpeningFailsWithOneLine() {
        assumeFalse(gpu(), "this machine has a GPU");
        String why = CudaDriverProbe.probe().unavailable().orElseThrow();
        var e = assertThrows(CudaException.class, CudaDevice::new);
        assertEquals("CUDA unavailable: " + why, e.getMessage());
        Graph g = Zoo.build("squeezenet1_1", Shape.nchw(1, 3, 32, 32));
        var e2 = assertThrows(CudaException.class, () -> DeviceModel.open(g, jcnn.models.Init.init(g, 1), "cuda", true));
        assertEquals("CUDA unavailable: " + why, e2.getMessage());
        assertTrue(CudaDriverProbe.diagnose().startsWith("unavailable: "), CudaDriverProbe.diagnose());
    }

    @ParameterizedTest
    @MethodSource("jcnn.cuda.DeviceModelTest#nets")
    void gpuMatchesReferenceAt64(String id) {
        assumeTrue(gpu(), "no GPU");
        long seed = TestData.freshSeed();
        Graph g2 = Zoo.build(id, Shape.nchw(2, 3, 64, 64));
        Graph g1 = g2.withInput(Shape.nchw(1, 3, 64, 64));
        Weights w = jcnn.models.Init.init(g2, seed);
        try (CudaDevice dev = new CudaDevice();
             Tensor in2 = TestData.random(g2.inputShape(), new SplittableRandom(seed));
             Tensor in1 = Tensor.allocate(g1.inputShape());
             Tensor ref2 = ReferenceExecutor.run(g2, w, in2)) {
            in1.copyFrom(java.util.Arrays.copyOf(in2.toArray(), (int) g1.inputShape().size()));
            for (boolean graphs : new boolean[] {true, false}) {
                try (DeviceModel m = DeviceModel.compile(g1, w, dev, graphs);
                     Tensor ref1 = Tensor.allocate(m.outputShape(1))) {
                    ref1.copyFrom(java.util.Arrays.copyOf(ref2.toArray(), (int) ref1.shape().size()));
                    for (int rep = 0; rep < 2; rep++) { // the second run replays the captured graph
                        try (Tensor got1 = m.run(in1); Tensor got2 = m.run(in2)) {
                            DeviceModelTest.compareLogits(id + " on cuda, graphs " + graphs + ", batch 1, run " + rep, seed, ref1, got1);
                            DeviceModelTest.compareLogits(id + " on cuda, graphs " + graphs + ", batch 2, run " + rep, seed, ref2, got2);
                        }
                    }
                    assertEquals(graphs, m.plan(1).usesGraph());
                }
                assertEquals(0, dev.liveAllocations(), id + ": device allocations left after close");
            }
        }
    }
}
