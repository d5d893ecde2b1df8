package jcnn.graph;

import java.util.Arrays;
import jcnn.ops.Op;
import jcnn.tensor.Shape;

/**
 * One node of a graph: an op applied to earlier values. {@code inputs} are node ids, or
 * {@link Graph#INPUT} for the graph's input. {@code name} is the PyTorch module path (e.g.
 * "features.denseblock1.denselayer1.conv1"); the node's weights are "name.weight", "name.bias", ...
 * {@code shape} is the inferred output shape for the graph's input shape.
 */
public record Node(int id, String name, Op op, int[] inputs, Shape shape) {
    public Node {
        inputs = inputs.clone();
    }

    @Override public int[] inputs() { return inputs.clone(); }
    public int input(int i) { return inputs[i]; }
    public int arity() { return inputs.length; }

    /** Key of one of this node's weights in the state dict, e.g. "features.0.weight". */
    public String weightKey(String param) { return name + "." + param; }

    @Override
    public String toString() {
        return "#" + id + " " + name + " " + op + " <- " + Arrays.toString(inputs) + " -> " + shape;
    }
}
