package jcnn.compile;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import jcnn.graph.Graph;
import jcnn.models.Zoo;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Once warmed up (plans built, the JIT done), {@link CompiledModel#run(Tensor, Tensor)} allocates
 * nothing on the Java heap: measured with the thread's allocated-bytes counter around rounds of
 * runs. The JIT may still be compiling (or recompiling after the previous net deoptimised a shared
 * kernel) during the first rounds, so the test repeats rounds until one allocates nothing, for at
 * most ~15 s per net, and requires the best round to be zero bytes per run (up to noise).
 */
class NoAllocationTest {
    @Test
    void warmRunsAllocateNothing() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        StringBuilder report = new StringBuilder();
        for (String id : new String[] {"densenet121", "mobilenet_v2", "shufflenet_v2_x1_0", "resnext50_32x4d", "squeezenet1_1"}) {
            Graph g = Zoo.build(id, Shape.nchw(1, 3, 32, 32));
            try (CompiledModel m = CompiledModel.compile(g, SyntheticWeights.of(g, 3));
                 Tensor in = Tensor.allocate(g.inputShape()).fill(0.5f);
                 Tensor out = Tensor.allocate(m.outputShape(1))) {
                for (int i = 0; i < 200; i++) m.run(in, out);
                double best = Double.MAX_VALUE;
                int runs = 50;
                long deadline = System.nanoTime() + 15_000_000_000L; // the JIT may be busy on 2 shared cores
                for (int round = 0; best > 0 && (round < 8 || System.nanoTime() < deadline); round++) {
                    long before = mx.getThreadAllocatedBytes(tid);
                    for (int i = 0; i < runs; i++) m.run(in, out);
                    best = Math.min(best, (mx.getThreadAllocatedBytes(tid) - before) / (double) runs);
                }
                report.append(id).append(": ").append(best).append(" bytes/run; ");
                assertTrue(best < 8, id + " allocates " + best + " bytes per warm run");
            }
        }
        System.out.println("no-allocation: " + report);
    }
}
