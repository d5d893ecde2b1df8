package jcnn.ops;

/** The activations an epilogue can apply: none, ReLU, ReLU6 (min(max(x, 0), 6)). */
public enum Activation {
    NONE, RELU, RELU6;

    public float apply(float x) {
        return switch (this) {
            case NONE -> x;
            case RELU -> x > 0f ? x : 0f;
            case RELU6 -> x > 0f ? (x < 6f ? x : 6f) : 0f;
        };
    }

    public double apply(double x) {
        return switch (this) {
            case NONE -> x;
            case RELU -> x > 0 ? x : 0;
            case RELU6 -> x > 0 ? (x < 6 ? x : 6) : 0;
        };
    }
}
