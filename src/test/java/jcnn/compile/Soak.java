package jcnn.compile;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;
import jcnn.graph.Graph;
import jcnn.models.Zoo;
import jcnn.tensor.NativeMemory;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * The long lifetime check behind {@code tools/soak.sh}: RUNS runs of NET at 32x32 after a warm-up,
 * printing at checkpoints jcnn's counted native bytes, the heap after GC, the process RSS and the
 * JVM's own native memory tracking (NMT, needs -XX:NativeMemoryTracking=summary): a baseline after
 * warm-up and {@code VM.native_memory summary.diff} at the end. Then closes the model and prints
 * the counted bytes again.
 */
public final class Soak {
    private Soak() {}

    public static void main(String[] args) throws Exception {
        String net = args.length > 0 ? args[0] : "mobilenet_v2";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        Graph g = Zoo.build(net, Shape.nchw(1, 3, 32, 32));
        long before = NativeMemory.liveBytes();
        CompiledModel m = CompiledModel.compile(g, SyntheticWeights.of(g, 1));
        try (Tensor in = Tensor.allocate(g.inputShape()).fill(0.5f); Tensor out = Tensor.allocate(m.outputShape(1))) {
            for (int i = 0; i < 1000; i++) m.run(in, out);
            nmt("baseline");
            System.out.printf("%-8s %12s %14s %14s %10s%n", "runs", "jcnn native", "heap after GC", "RSS kB", "s");
            long t0 = System.nanoTime();
            line(0, t0);
            for (int i = 1; i <= runs; i++) {
                m.run(in, out);
                if (i % (runs / 10) == 0) line(i, t0);
            }
            System.out.println("NMT summary.diff against the baseline after warm-up (committed, KB):");
            for (String l : nmt("summary.diff").split("\n")) {
                if (l.contains("committed=") && (l.startsWith("Total") || l.startsWith("-"))) System.out.println("  " + l.strip());
            }
        }
        m.close();
        System.out.printf("after close: jcnn native %d bytes (before compile %d)%n", NativeMemory.liveBytes(), before);
    }

    private static void line(int i, long t0) throws Exception {
        for (int k = 0; k < 3; k++) System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        String rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
            .map(l -> l.replaceAll("\\D", "")).findFirst().orElse("?");
        System.out.printf("%-8d %12d %14d %14s %10.1f%n", i, NativeMemory.liveBytes(), heap, rss, (System.nanoTime() - t0) / 1e9);
    }

    private static String nmt(String what) throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
            "vmNativeMemory", new Object[] {new String[] {what}}, new String[] {String[].class.getName()});
    }
}
