package jcnn.ops;

import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/** Argument checks shared by the ops; every message names the op and the offending value. */
public final class Check {
    private Check() {}

    public static void positive(String op, String what, int v) {
        if (v <= 0) throw new IllegalArgumentException(op + ": " + what + " must be > 0, got " + v);
    }

    public static void nonNegative(String op, String what, int v) {
        if (v < 0) throw new IllegalArgumentException(op + ": " + what + " must be >= 0, got " + v);
    }

    public static void arity(String op, Shape[] inputs, int n) {
        if (inputs.length != n) throw new IllegalArgumentException(op + ": expected " + n + " input(s), got " + inputs.length);
    }

    public static void rank4(String op, Shape s) {
        if (s.rank() != 4) throw new IllegalArgumentException(op + ": expected an NCHW input, got shape " + s);
    }

    public static void channels(String op, Shape s, int c) {
        if (s.rank() < 2 || s.c() != c) {
            throw new IllegalArgumentException(op + ": expected " + c + " input channels, got shape " + s);
        }
    }

    /** Throws unless {@code t} is non-null and has exactly {@code expected} shape. */
    public static void shape(String op, String what, Tensor t, Shape expected) {
        if (t == null) throw new IllegalArgumentException(op + ": " + what + " is null, expected shape " + expected);
        if (!t.shape().equals(expected)) {
            throw new IllegalArgumentException(op + ": " + what + " has shape " + t.shape() + ", expected " + expected);
        }
    }

    public static void notNull(String op, String what, Object o) {
        if (o == null) throw new IllegalArgumentException(op + ": " + what + " is null");
    }

    /** Output spatial size of a window op; PyTorch's rule, ceil mode included. */
    public static int windowOut(String op, int in, int k, int s, int p, boolean ceil) {
        int span = in + 2 * p - k;
        if (span < 0) {
            throw new IllegalArgumentException(op + ": input size " + in + " with padding " + p
                + " is smaller than kernel " + k);
        }
        int out = (ceil ? (span + s - 1) / s : span / s) + 1;
        // in ceil mode the last window must start inside the input or the left padding
        if (ceil && (long) (out - 1) * s >= in + p) out--;
        return out;
    }
}
