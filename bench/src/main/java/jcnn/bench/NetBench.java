package jcnn.bench;

import java.util.concurrent.TimeUnit;
import jcnn.compile.Backends;
import jcnn.compile.CompiledModel;
import jcnn.graph.Graph;
import jcnn.graph.Weights;
import jcnn.io.onnx.OnnxExporter;
import jcnn.io.onnx.OrtPeer;
import jcnn.models.Init;
import jcnn.models.Zoo;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

/**
 * Whole networks, one inference per op, on the CPU: ours (CompiledModel on Backends.cpu(threads))
 * and ONNX Runtime Java on the model we export, with the same weights (jcnn.models.Init, seed 42),
 * the same input and the same thread count (ORT: intra-op = threads, inter-op 1, sequential, all
 * graph optimisations; see {@link OrtPeer}), in the same JMH run: the params are net x batch x
 * engine. SampleTime, so JMH reports p50, p90, p99 (ms/op) per combination.
 * {@code bench/run.sh NetBench -p net=mobilenet_v2 -p batch=1} narrows it down.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC"})
public class NetBench {
    @Param({"densenet121", "resnext50_32x4d", "squeezenet1_1", "mobilenet_v1", "mobilenet_v2", "shufflenet_v1", "shufflenet_v2_x1_0"})
    public String net;

    @Param({"1", "8"})
    public int batch;

    @Param({"jcnn", "ort"})
    public String engine;

    @Param({"2"})
    public int threads;

    @Param({"224"})
    public int size;

    CompiledModel model;
    OrtPeer peer;
    Tensor in, out;

    @Setup(Level.Trial)
    public void setup() {
        Graph g = Zoo.build(net, Shape.nchw(batch, 3, size, size));
        Weights w = Init.init(g, 42);
        in = input(g.inputShape());
        switch (engine) {
            case "jcnn" -> {
                model = CompiledModel.compile(g, w, Backends.cpu(threads));
                out = Tensor.allocate(model.outputShape(batch));
            }
            case "ort" -> {
                peer = OrtPeer.open(OnnxExporter.toBytes(g, w), g.inputShape(), threads);
                peer.setInput(in);
            }
            default -> throw new IllegalArgumentException("engine is jcnn or ort, got " + engine);
        }
    }

    /** The CLI's fixed input (jcnn.cli.NetSetup.input): sin(0.37 i + 0.11 n) per image. */
    static Tensor input(Shape s) {
        Tensor t = Tensor.allocate(s);
        long per = s.size() / s.n();
        for (long i = 0; i < s.size(); i++) t.set(i, (float) Math.sin(0.37 * (i % per) + 0.11 * (i / per)));
        return t;
    }

    @Benchmark
    public void infer() {
        if (model != null) model.run(in, out);
        else peer.run();
    }

    @TearDown(Level.Trial)
    public void close() {
        if (model != null) model.close();
        if (peer != null) peer.close();
        if (out != null) out.close();
        in.close();
    }
}
