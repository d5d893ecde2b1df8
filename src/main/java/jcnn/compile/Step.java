package jcnn.compile;

/**
 * One step of a {@link Plan}: a fused op with its input and output views and prepared weights bound
 * at plan time, so running it takes no arguments and allocates nothing.
 */
@FunctionalInterface
public interface Step {
    void run();
}
