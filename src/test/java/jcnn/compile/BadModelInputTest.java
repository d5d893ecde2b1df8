package jcnn.compile;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import jcnn.graph.Graph;
import jcnn.graph.Weights;
import jcnn.models.Zoo;
import jcnn.tensor.BadInput;
import jcnn.tensor.BadInput.Case;
import jcnn.tensor.NativeMemory;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Every bad argument {@link CompiledModel} and {@link Zoo} take, as a table (type + message
 * fragment, one line), then NaN/Inf inputs (documented: unchecked, no state left behind).
 */
class BadModelInputTest {
    private static final Graph G = Zoo.build("mobilenet_v2", Shape.nchw(1, 3, 32, 32));
    private static final Weights W = SyntheticWeights.of(G, 9);

    @Test
    void compiledModel() {
        try (CompiledModel m = CompiledModel.compile(G, W);
             Tensor in = Tensor.allocate(G.inputShape());
             Tensor out = Tensor.allocate(m.outputShape(1))) {
            m.run(in, out); // plan batch 1 first: a planned model's native memory must not move below
            long nativeBefore = NativeMemory.liveBytes();
            BadInput.check(List.of(
                new Case("compile null graph", NullPointerException.class, "graph is null", () -> CompiledModel.compile(null, W)),
                new Case("compile null weights", NullPointerException.class, "weights are null", () -> CompiledModel.compile(G, null)),
                new Case("compile null backend", NullPointerException.class, "backend is null", () -> CompiledModel.compile(G, W, null)),
                new Case("compile missing weights", IllegalArgumentException.class, "", () -> CompiledModel.compile(G, new Weights())),
                new Case("run null", NullPointerException.class, "input tensor is null", () -> m.run(null)),
                new Case("run null input", NullPointerException.class, "input tensor is null", () -> m.run(null, out)),
                new Case("run null output", NullPointerException.class, "output tensor is null", () -> m.run(in, null)),
                new Case("wrong rank", IllegalArgumentException.class, "input shape [1, 3072] does not match the compiled [1, 3, 32, 32]",
                    () -> m.run(Tensor.wrap(new float[3072], Shape.of(1, 3072)))),
                new Case("wrong channels", IllegalArgumentException.class, "input shape [1, 4, 32, 32] does not match the compiled [1, 3, 32, 32]",
                    () -> m.run(Tensor.wrap(new float[4096], Shape.nchw(1, 4, 32, 32)))),
                new Case("wrong size", IllegalArgumentException.class, "input shape [2, 3, 32, 31] does not match the compiled [2, 3, 32, 32]",
                    () -> m.run(Tensor.wrap(new float[2 * 3 * 32 * 31], Shape.nchw(2, 3, 32, 31)))),
                new Case("wrong output shape", IllegalArgumentException.class, "output tensor has shape [2, 1000], the output at batch 1 is [1, 1000]",
                    () -> m.run(in, Tensor.wrap(new float[2000], Shape.of(2, 1000)))),
                new Case("output of a rank-4 shape", IllegalArgumentException.class, "output tensor has shape [1, 1000, 1, 1]",
                    () -> m.run(in, Tensor.wrap(new float[1000], Shape.nchw(1, 1000, 1, 1)))),
                new Case("closed input", IllegalStateException.class, "tensor [1, 3, 32, 32] is closed", () -> {
                    Tensor t = Tensor.allocate(G.inputShape());
                    t.close();
                    m.run(t, out);
                }),
                new Case("closed output", IllegalStateException.class, "tensor [1, 1000] is closed", () -> {
                    Tensor t = Tensor.allocate(m.outputShape(1));
                    t.close();
                    m.run(in, t);
                }),
                new Case("plan batch 0", IllegalArgumentException.class, "batch size must be >= 1, got 0", () -> m.plan(0)),
                new Case("plan batch -3", IllegalArgumentException.class, "batch size must be >= 1, got -3", () -> m.plan(-3)),
                new Case("outputShape 0", IllegalArgumentException.class, "batch size must be >= 1, got 0", () -> m.outputShape(0)),
                // 2^31-1 images of 3x32x32: the arena would take terabytes; refused before allocating
                new Case("absurd batch", IllegalArgumentException.class, "the activation arena needs",
                    () -> m.plan(Integer.MAX_VALUE)),
                new Case("absurd batch names the machine", IllegalArgumentException.class, "more than this machine's",
                    () -> m.plan(1 << 24))));
            assertEquals(nativeBefore, NativeMemory.liveBytes(), "no failed call left native memory behind");
            m.run(in, out); // and the model still works
        }
    }

    @Test
    void zooBuilder() {
        BadInput.check(List.of(
            new Case("null spec", IllegalArgumentException.class, "empty network spec", () -> Zoo.build(null, 32)),
            new Case("unknown net", IllegalArgumentException.class, "unknown network 'resnet9000'", () -> Zoo.build("resnet9000", 32)),
            new Case("bad option", IllegalArgumentException.class, "option width=-1 is not one of", () -> Zoo.build("mobilenet_v2:width=-1", 32)),
            new Case("size 0", IllegalArgumentException.class, "must be positive: [1, 3, 0, 0]", () -> Zoo.build("mobilenet_v2", 0)),
            new Case("negative size", IllegalArgumentException.class, "must be positive: [1, 3, -5, -5]", () -> Zoo.build("mobilenet_v2", -5)),
            new Case("too small for a pool", IllegalArgumentException.class, "is not admitted: at layer features.5", () -> Zoo.build("squeezenet1_1", 8)),
            new Case("too small for densenet", IllegalArgumentException.class, "is not admitted", () -> Zoo.build("densenet121", 16)),
            new Case("overflowing size", IllegalArgumentException.class, "too many elements", () -> Zoo.build("mobilenet_v2", Integer.MAX_VALUE)),
            new Case("null shape", NullPointerException.class, "input shape is null", () -> Zoo.build("mobilenet_v2", (Shape) null)),
            new Case("rank-2 shape", IllegalArgumentException.class, "is not NCHW", () -> Zoo.build("mobilenet_v2", Shape.of(1, 3)))));
        // a huge but representable size builds a graph (shapes only); compiling it is then refused before allocating
        Graph huge = Zoo.build("squeezenet1_1", 1 << 17);
        try (CompiledModel m = CompiledModel.compile(huge, jcnn.models.Init.init(huge, 1))) {
            BadInput.check(List.of(new Case("huge image", IllegalArgumentException.class, "more than this machine's", () -> m.plan(1))));
        }
    }

    /** NaN and Inf are not checked (documented); a run with them completes and leaves nothing behind. */
    @Test
    void nonFiniteInputsRunAndLeaveNoState() {
        try (CompiledModel m = CompiledModel.compile(G, W);
             Tensor in = Tensor.allocate(G.inputShape());
             Tensor clean = Tensor.allocate(m.outputShape(1));
             Tensor out = Tensor.allocate(m.outputShape(1))) {
            for (long i = 0; i < in.shape().size(); i++) in.set(i, (float) Math.sin(0.1 * i));
            m.run(in, clean);
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                try (Tensor x = Tensor.allocate(G.inputShape())) {
                    x.copyFrom(in);
                    x.set(0, 1, 5, 7, bad);
                    x.set(0, 2, 31, 31, bad);
                    assertDoesNotThrow(() -> m.run(x, out), "input with " + bad);
                }
                m.run(in, out);
                assertArrayEquals(clean.toArray(), out.toArray(), "the next finite input after " + bad + " gives its normal output");
            }
            try (Tensor allNaN = Tensor.allocate(G.inputShape()).fill(Float.NaN)) {
                assertDoesNotThrow(() -> m.run(allNaN, out));
            }
        }
    }
}
