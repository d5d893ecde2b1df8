package jcnn.compile;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import jcnn.graph.Graph;
import jcnn.models.Zoo;
import jcnn.tensor.NativeMemory;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jcnn.tensor.BadInput;
import org.junit.jupiter.api.Test;

/**
 * Lifetime of a {@link CompiledModel}: runs after warm-up add no native memory (jcnn's own
 * counter, {@link NativeMemory#liveBytes()}, which every arena of the CPU path goes through) and
 * no heap; close gives back every byte; a closed model throws IllegalStateException from every
 * method, and so does a plan kept from before the close.
 *
 * <p>CI runs 2,000 warm runs of mobilenet_v2 at 32x32 ({@code -Djcnn.soak.runs=N} for more);
 * the 100,000-run soak with the JVM's native memory tracking is {@code tools/soak.sh}.
 */
class LifetimeTest {
    private static final Graph G = Zoo.build("mobilenet_v2", Shape.nchw(1, 3, 32, 32));

    private static long heapAfterGc(MemoryMXBean mx) {
        for (int i = 0; i < 3; i++) System.gc();
        return mx.getHeapMemoryUsage().getUsed();
    }

    @Test
    void warmRunsAddNoNativeOrHeapMemory() {
        int runs = Integer.getInteger("jcnn.soak.runs", 2_000);
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        try (CompiledModel m = CompiledModel.compile(G, SyntheticWeights.of(G, 5));
             Tensor in = Tensor.allocate(G.inputShape()).fill(0.25f);
             Tensor out = Tensor.allocate(m.outputShape(1))) {
            for (int i = 0; i < 300; i++) m.run(in, out); // warm-up: plan built, JIT done
            long nativeWarm = NativeMemory.liveBytes(), arenasWarm = NativeMemory.liveArenas();
            long heapWarm = heapAfterGc(mx);
            for (int i = 0; i < runs; i++) {
                m.run(in, out);
                if (i % 64 == 0) {
                    try (Tensor copy = m.run(in)) { // the allocating form: its tensor is counted, then freed on close
                        assertEquals(nativeWarm + copy.shape().size() * Float.BYTES, NativeMemory.liveBytes(), "run " + i);
                    }
                    assertEquals(nativeWarm, NativeMemory.liveBytes(), "native bytes after run " + i);
                }
            }
            long heapAfter = heapAfterGc(mx);
            assertEquals(nativeWarm, NativeMemory.liveBytes(), "native bytes after " + runs + " runs");
            assertEquals(arenasWarm, NativeMemory.liveArenas(), "arenas after " + runs + " runs");
            // the run path allocates nothing (NoAllocationTest); the slack covers GC bookkeeping and JIT-time objects
            assertTrue(heapAfter - heapWarm < 4 << 20, "heap grew by " + (heapAfter - heapWarm) + " bytes over " + runs + " runs");
            System.out.printf("lifetime: mobilenet_v2 32x32, %d warm runs: native %d -> %d bytes, heap after GC %d -> %d bytes%n",
                runs, nativeWarm, NativeMemory.liveBytes(), heapWarm, heapAfter);
        }
    }

    /**
     * The same on the device executor (CUDA emulator): after warm-up, runs allocate no device memory
     * (count and bytes flat), no native host memory, and close frees every device allocation. A tiny
     * MobileNet v2 graph: an emulated mobilenet_v2 run at 32x32 takes ~2 s.
     */
    @Test
    void emulatorRunsAddNoDeviceMemoryAndCloseFreesIt() {
        int runs = Integer.getInteger("jcnn.soak.emuRuns", 300);
        try (jcnn.cuda.EmuDevice emu = new jcnn.cuda.EmuDevice()) {
            Graph g = TinyNets.build("mbv2", 1);
            int allocs0 = emu.liveAllocations();
            long bytes0 = emu.liveBytes();
            try (Model m = jcnn.cuda.DeviceModel.compile(g, SyntheticWeights.of(g, 5), emu);
                 Tensor in = Tensor.allocate(g.inputShape()).fill(0.25f);
                 Tensor out = Tensor.allocate(m.outputShape(1))) {
                for (int i = 0; i < 5; i++) m.run(in, out); // warm-up: plan, weights and pinned buffers made
                int allocs = emu.liveAllocations();
                long bytes = emu.liveBytes(), host = NativeMemory.liveBytes();
                assertTrue(allocs > allocs0 && bytes > bytes0, "the model holds device memory");
                for (int i = 0; i < runs; i++) {
                    m.run(in, out);
                    assertEquals(allocs, emu.liveAllocations(), "device allocations after run " + i);
                    assertEquals(bytes, emu.liveBytes(), "device bytes after run " + i);
                }
                assertEquals(host, NativeMemory.liveBytes(), "host native bytes after " + runs + " runs");
                System.out.printf("lifetime: tiny mbv2 on the emulator, %d warm runs: %d device allocations, %d bytes, flat%n", runs, allocs, bytes);
            }
            assertEquals(allocs0, emu.liveAllocations(), "device allocations left after close");
            assertEquals(bytes0, emu.liveBytes(), "device bytes left after close");
        }
    }

    @Test
    void closeFreesEveryNativeByte() {
        long before = NativeMemory.liveBytes(), arenas = NativeMemory.liveArenas();
        CompiledModel m = CompiledModel.compile(G, SyntheticWeights.of(G, 5));
        try (Tensor in1 = Tensor.allocate(G.inputShape()); Tensor in3 = Tensor.allocate(G.inputShape().withN(3))) {
            long held0 = NativeMemory.liveBytes();
            m.run(in1).close();
            m.run(in3).close(); // two batch sizes: two arenas
            long held = NativeMemory.liveBytes() - before;
            assertTrue(held > m.plan(1).arenaBytes() + m.plan(3).arenaBytes(), "weights and both arenas counted: " + held);
            assertTrue(NativeMemory.liveBytes() > held0, "plans add native memory");
            m.close();
            assertEquals(before + in1.shape().size() * 4 + in3.shape().size() * 4, NativeMemory.liveBytes(),
                "after close only the caller's two input tensors remain");
        }
        assertEquals(before, NativeMemory.liveBytes());
        assertEquals(arenas, NativeMemory.liveArenas());
    }

    @Test
    void closedModelThrowsFromEveryMethod() {
        CompiledModel m = CompiledModel.compile(G, SyntheticWeights.of(G, 5));
        Plan kept = m.plan(1);
        Tensor in = Tensor.allocate(G.inputShape());
        Tensor out = Tensor.allocate(m.outputShape(1));
        try {
            m.run(in, out);
            m.close();
            String closed = "model mobilenet_v2 is closed";
            BadInput.check(List.of(
                new BadInput.Case("run(in)", IllegalStateException.class, closed, () -> m.run(in)),
                new BadInput.Case("run(in, out)", IllegalStateException.class, closed, () -> m.run(in, out)),
                new BadInput.Case("plan", IllegalStateException.class, closed, () -> m.plan(1)),
                new BadInput.Case("plan of a new batch", IllegalStateException.class, closed, () -> m.plan(7)),
                new BadInput.Case("graph", IllegalStateException.class, closed, m::graph),
                new BadInput.Case("backend", IllegalStateException.class, closed, m::backend),
                new BadInput.Case("outputShape", IllegalStateException.class, closed, () -> m.outputShape(1)),
                // a plan kept from before the close: its arena is gone, and FFM refuses every access
                new BadInput.Case("kept plan run", IllegalStateException.class, "closed", () -> kept.run(in, out)),
                new BadInput.Case("kept plan step", IllegalStateException.class, "closed", () -> kept.runStep(kept.steps() - 1)),
                new BadInput.Case("kept plan poison", IllegalStateException.class, "closed", kept::poison)));
            assertDoesNotThrow(m::close, "close is idempotent");
        } finally {
            in.close();
            out.close();
        }
    }
}
