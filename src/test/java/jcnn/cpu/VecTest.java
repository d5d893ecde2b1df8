package jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link Vec#sum} adds the lanes in one documented order: pairwise, then pairs of pairs. Checked bit
 * for bit against that order in scalar floats, on values whose sum depends on the order, many times
 * so the JIT compiles the loop (the interpreter and C2 must agree).
 */
class VecTest {
    @Test
    void sumIsTheFixedPairwiseOrder() {
        long seed = jcnn.testing.TestData.freshSeed();
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[Vec.L];
        for (int rep = 0; rep < 200_000; rep++) {
            for (int i = 0; i < a.length; i++) a[i] = (float) ((r.nextDouble() - 0.5) * Math.pow(2, r.nextInt(-20, 20)));
            float[] lanes = new float[Vec.L];
            FloatVector.fromArray(Vec.S, a, 0).intoArray(lanes, 0);
            float got = Vec.sum(lanes);
            assertEquals(Float.floatToRawIntBits(pairwise(a, 0, a.length)), Float.floatToRawIntBits(got), "seed " + seed + " rep " + rep);
        }
    }

    /** The order of Vec.sum for 8 and 16 lanes; sequential otherwise. */
    private static float pairwise(float[] a, int from, int len) {
        if (a.length != 8 && a.length != 16) {
            float s = 0;
            for (float v : a) s += v;
            return s;
        }
        if (len == 2) return a[from] + a[from + 1];
        return pairwise(a, from, len / 2) + pairwise(a, from + len / 2, len / 2);
    }
}
