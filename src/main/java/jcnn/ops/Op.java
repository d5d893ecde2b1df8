package jcnn.ops;

import jcnn.tensor.Shape;

/**
 * One operator: its hyper-parameters, its output-shape rule and its cost. The weights live beside it
 * (in the graph node or the caller's tensors); each op also has a scalar reference implementation
 * with float64 accumulation, the oracle every twin (CPU, CUDA, emulator) is tested against.
 *
 * <p>Tensors are NCHW. Every op checks its inputs and throws IllegalArgumentException that names the
 * op and the offending value or shapes.
 */
public sealed interface Op
    permits Conv2d, BatchNorm, ChannelAffine, Act, Add, Concat, Slice, ChannelShuffle,
            MaxPool, AvgPool, GlobalAvgPool, Linear, Softmax, SqueezeExcite {

    /** Short name used in messages and tables, e.g. "conv2d". */
    String kind();

    /** Output shape for these input shapes; throws IllegalArgumentException when they do not fit. */
    Shape outputShape(Shape... inputs);

    /** Multiply-accumulates for these input shapes (conv and linear; 0 for the rest). */
    default long macs(Shape... inputs) { return 0; }

    /** Learned parameters (conv/linear weights and biases, BN gamma and beta; not running statistics). */
    default long params() { return 0; }

    /** Shapes of the weight tensors this op takes, in a fixed order, keyed by PyTorch's names. */
    default java.util.LinkedHashMap<String, Shape> weightShapes() { return new java.util.LinkedHashMap<>(); }
}
