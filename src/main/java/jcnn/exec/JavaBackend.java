package jcnn.exec;

import jcnn.compile.Backend;
import jcnn.compile.NativeWeights;
import jcnn.compile.Scratch;
import jcnn.compile.Step;
import jcnn.graph.Node;
import jcnn.ops.*;
import jcnn.tensor.Tensor;

/**
 * The executor's own CPU steps (Vector API GEMM for dense and grouped convs, a direct depthwise
 * kernel, vectorised elementwise ops), single-threaded and allocation-free once compiled. It is
 * the CPU backend until the jcnn.cpu twin's prepared kernels are wired in.
 */
public final class JavaBackend implements Backend {
    public static final JavaBackend INSTANCE = new JavaBackend();

    private JavaBackend() {}

    @Override public String name() { return "java-gemm"; }

    @Override
    public Step step(Node n, Tensor[] in, Tensor out, NativeWeights w, Scratch scratch) {
        Tensor x = in[0];
        return switch (n.op()) {
            case Conv2d c when c.isDepthwise() && !c.inputBnRelu() -> new DepthwiseStep(n, c, x, c.residual() ? in[1] : null, out, w);
            case Conv2d c -> new ConvStep(n, c, x, c.residual() ? in[1] : null, out, w, scratch);
            case ChannelAffine a -> SimpleSteps.affine(a, x, w.tensor(n.weightKey("scale")), w.tensor(n.weightKey("shift")), out);
            case Act a -> SimpleSteps.act(a, x, out);
            case Add a -> SimpleSteps.add(a, x, in[1], out);
            case ChannelShuffle s -> SimpleSteps.shuffle(s, x, out);
            case MaxPool p -> new PoolStep(p, null, x, out);
            case AvgPool p -> new PoolStep(null, p, x, out);
            case GlobalAvgPool p -> SimpleSteps.globalAvgPool(x, out);
            case Linear l -> SimpleSteps.linear(l, x, w.tensor(n.weightKey("weight")), l.bias() ? w.tensor(n.weightKey("bias")) : null, out);
            case Softmax s -> SimpleSteps.softmax(x, out);
            case SqueezeExcite e -> {
                e.checkArgs(x, w.tensor(n.weightKey("fc1.weight")), w.tensor(n.weightKey("fc1.bias")),
                    w.tensor(n.weightKey("fc2.weight")), w.tensor(n.weightKey("fc2.bias")), out);
                var k = jcnn.cpu.CpuSqueezeExcite.prepare(e, w.tensor(n.weightKey("fc1.weight")), w.tensor(n.weightKey("fc1.bias")),
                    w.tensor(n.weightKey("fc2.weight")), w.tensor(n.weightKey("fc2.bias")));
                yield () -> k.run(x, out);
            }
            case Slice s -> SimpleSteps.copy(x.channelSlice(s.start(), s.count()), out);
            case Concat c -> throw new IllegalStateException("concat " + n.name() + " is planned by Plan, not a backend");
            case BatchNorm b -> throw new IllegalStateException("batchnorm " + n.name() + " survived the compile passes");
        };
    }
}
