package jcnn.compile;

import jcnn.graph.Node;
import jcnn.tensor.Tensor;

/**
 * Turns one node of a compiled graph into a {@link Step} over bound tensors. Implementations are a
 * {@code switch} over the sealed op types. Concat copies, slices and the input/output copies are not
 * asked of the backend: {@link Plan} does them (views or plain memory copies).
 */
public interface Backend {
    /** Name shown in tables ("cpu", "reference"). */
    String name();

    /**
     * A step computing {@code node} from {@code in} (in the node's input order) into {@code out}.
     * Weights come from {@code w} by the node's keys ("NAME.weight", ...); temporary memory the step
     * needs is declared to {@code scratch}. Called once per plan, never on the hot path.
     */
    Step step(Node node, Tensor[] in, Tensor out, NativeWeights w, Scratch scratch);
}
