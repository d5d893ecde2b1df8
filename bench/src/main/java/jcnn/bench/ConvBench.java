package jcnn.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jcnn.cpu.CpuConv;
import jcnn.ops.Activation;
import jcnn.ops.Conv2d;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

/**
 * Prepared convs (what the executor runs) on real layer shapes at batch 1. Score is us/op; the GFLOP/s
 * (2*MACs / time) and the bytes moved are printed at tear-down from the measured mean of a timed loop,
 * and bench/gflops.py recomputes GFLOP/s from the JSON.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ConvBench {
    @Param({"pw_256_1024_56", "mbv2_dw144_s1_56", "mbv2_dw96_s2_112", "mbv2_dw960_s1_7", "resnext_g32_128_s1_56",
            "densenet_1x1_256_128_28_prologue", "shufflev1_g3_240_60_28", "stem_7x7_3_64_224"})
    public String layer;

    Conv2d op;
    Tensor in, w, b, s, t, out;
    CpuConv conv;

    static Conv2d op(String name) {
        return switch (name) {
            case "pw_256_1024_56" -> Conv2d.of(256, 1024, 1, 1, 0, 1).withBias(true).withAct(Activation.RELU);
            case "mbv2_dw144_s1_56" -> Conv2d.of(144, 144, 3, 1, 1, 144).withBias(true).withAct(Activation.RELU6);
            case "mbv2_dw96_s2_112" -> Conv2d.of(96, 96, 3, 2, 1, 96).withBias(true).withAct(Activation.RELU6);
            case "mbv2_dw960_s1_7" -> Conv2d.of(960, 960, 3, 1, 1, 960).withBias(true).withAct(Activation.RELU6);
            case "resnext_g32_128_s1_56" -> Conv2d.of(128, 128, 3, 1, 1, 32).withBias(true).withAct(Activation.RELU);
            case "densenet_1x1_256_128_28_prologue" -> Conv2d.of(256, 128, 1, 1, 0, 1).withInputBnRelu(true).withBias(true).withAct(Activation.RELU);
            case "shufflev1_g3_240_60_28" -> Conv2d.of(240, 60, 1, 1, 0, 3).withBias(true).withAct(Activation.RELU);
            case "stem_7x7_3_64_224" -> Conv2d.of(3, 64, 7, 2, 3, 1).withBias(true).withAct(Activation.RELU);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static int size(String name) { return Integer.parseInt(name.replaceAll(".*_(\\d+)(_prologue)?$", "$1")); }

    @Setup
    public void setup() {
        op = op(layer);
        int hw = size(layer);
        SplittableRandom r = new SplittableRandom(1);
        in = rand(Shape.nchw(1, op.inC(), hw, hw), r);
        w = rand(op.weightShape(), r);
        b = rand(Shape.of(op.outC()), r);
        s = rand(Shape.of(op.inC()), r);
        t = rand(Shape.of(op.inC()), r);
        out = Tensor.allocate(op.outputShape(in.shape()));
        conv = CpuConv.prepare(op, w, b, s, t);
    }

    static Tensor rand(Shape sh, SplittableRandom r) {
        Tensor x = Tensor.allocate(sh);
        for (long i = 0; i < sh.size(); i++) x.set(i, (float) r.nextDouble(-1, 1));
        return x;
    }

    @Benchmark
    public void run() { conv.run(in, null, out); }

    @TearDown
    public void report() {
        for (int i = 0; i < 20; i++) conv.run(in, null, out);
        int reps = 200;
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) conv.run(in, null, out);
        double sec = (System.nanoTime() - t0) / 1e9 / reps;
        long macs = op.macs(in.shape());
        double bytes = 4.0 * (in.shape().size() + out.shape().size() + w.shape().size());
        System.out.printf("%n[gflops] %s: %.1f us, %.1f GFLOP/s, %.1f GB/s (in+out+weights %.2f MB)%n",
            layer, sec * 1e6, 2.0 * macs / sec / 1e9, bytes / sec / 1e9, bytes / 1e6);
        for (Tensor x : new Tensor[] {in, w, b, s, t, out}) x.close();
    }
}
