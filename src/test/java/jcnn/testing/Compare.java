package jcnn.testing;

import static org.junit.jupiter.api.Assertions.fail;

import jcnn.tensor.Tensor;

/**
 * The comparison rules of DESIGN.md. Data movers match bit for bit; accumulating ops pass at
 * {@code |x - ref| <= atol + rtol*|ref|} with rtol 1e-4 and atol = 1e-5 * sqrt(reduction length)
 * (the random-walk growth of float32 rounding over a sum of that many terms of magnitude ~1).
 */
public final class Compare {
    private Compare() {}

    public static final double RTOL = 1e-4;

    public static double atol(long reductionLength) { return 1e-5 * Math.sqrt(Math.max(1, reductionLength)); }

    /** Bit-for-bit equality (NaN in either fails). */
    public static void exact(String what, long seed, Tensor ref, Tensor got) {
        check(what, seed, ref, got, 0, 0, true);
    }

    /** Tolerance comparison for an op whose outputs sum {@code reductionLength} products. */
    public static void close(String what, long seed, long reductionLength, Tensor ref, Tensor got) {
        check(what, seed, ref, got, atol(reductionLength), RTOL, false);
    }

    public static void close(String what, long seed, double atol, double rtol, Tensor ref, Tensor got) {
        check(what, seed, ref, got, atol, rtol, false);
    }

    private static void check(String what, long seed, Tensor ref, Tensor got, double atol, double rtol, boolean exact) {
        if (!ref.shape().equals(got.shape())) fail(what + ": shape " + got.shape() + " != reference " + ref.shape() + " (seed " + seed + ")");
        float[] r = ref.toArray(), g = got.toArray();
        int bad = 0, first = -1;
        double worst = 0;
        for (int i = 0; i < r.length; i++) {
            boolean ok = exact ? Float.floatToRawIntBits(r[i]) == Float.floatToRawIntBits(g[i]) && !Float.isNaN(g[i])
                               : Math.abs(g[i] - r[i]) <= atol + rtol * Math.abs(r[i]);  // NaN compares false
            if (!ok) {
                if (first < 0) first = i;
                bad++;
                worst = Math.max(worst, Float.isNaN(g[i]) ? Double.POSITIVE_INFINITY : Math.abs(g[i] - r[i]));
            }
        }
        if (bad > 0) {
            fail(String.format("%s: %d of %d elements differ (first at flat index %d: got %s, reference %s; worst |diff| %.3g; atol %.3g rtol %.1g); shape %s; seed %d (rerun with -Djcnn.seed=%d)",
                what, bad, r.length, first, g[first], r[first], worst, atol, rtol, ref.shape(), seed, seed));
        }
    }
}
