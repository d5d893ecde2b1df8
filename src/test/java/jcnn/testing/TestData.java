package jcnn.testing;

import java.util.SplittableRandom;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/** Seeded random tensors and NaN poisoning for twin-vs-reference tests. */
public final class TestData {
    private TestData() {}

    /** A fresh seed per call, so repeated runs cover new inputs; tests print it on failure. */
    public static long freshSeed() {
        Long fixed = Long.getLong("jcnn.seed");
        return fixed != null ? fixed : System.nanoTime() ^ Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L;
    }

    /** A new owned tensor with uniform values in [lo, hi). */
    public static Tensor random(Shape s, SplittableRandom r, float lo, float hi) {
        Tensor t = Tensor.allocate(s);
        for (long i = 0; i < s.size(); i++) t.set(i, lo + (hi - lo) * (float) r.nextDouble());
        return t;
    }

    public static Tensor random(Shape s, SplittableRandom r) { return random(s, r, -1f, 1f); }

    /** Fills every element with NaN, so an element a kernel forgets to write fails the comparison. */
    public static Tensor poison(Tensor t) { return t.fill(Float.NaN); }

    /** A new owned, NaN-poisoned output tensor. */
    public static Tensor output(Shape s) { return poison(Tensor.allocate(s)); }
}
