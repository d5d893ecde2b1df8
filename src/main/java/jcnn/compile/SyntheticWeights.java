package jcnn.compile;

import java.util.SplittableRandom;
import jcnn.graph.Graph;
import jcnn.graph.Weights;
import jcnn.tensor.Shape;

/**
 * Deterministic synthetic weights for a graph, for benchmarks and tests when no trained file is
 * given: each tensor is drawn from a generator seeded by (seed, key), so a weight does not depend on
 * which other layers exist. Conv and linear weights are uniform with the He variance 2/fan_in (so
 * activations keep their scale through deep nets), biases and BN shifts small, BN scales in
 * [0.5, 1], running variances in [0.5, 1.5].
 */
public final class SyntheticWeights {
    private SyntheticWeights() {}

    public static Weights of(Graph g, long seed) {
        Weights w = new Weights();
        g.weightShapes().forEach((key, s) -> w.put(key, s, values(key, s, seed)));
        return w;
    }

    private static float[] values(String key, Shape s, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ key.hashCode());
        float[] v = new float[Math.toIntExact(s.size())];
        String param = key.substring(key.lastIndexOf('.') + 1);
        double lo, hi;
        switch (param) {
            case "running_var" -> { lo = 0.5; hi = 1.5; }
            case "running_mean", "bias", "shift", "in_shift" -> { lo = -0.1; hi = 0.1; }
            default -> {
                if (s.rank() == 1) { lo = 0.5; hi = 1.0; } // BN gamma, scales
                else {
                    double a = Math.sqrt(6.0 / (s.size() / s.dim(0))); // uniform with variance 2/fan_in
                    lo = -a; hi = a;
                }
            }
        }
        for (int i = 0; i < v.length; i++) v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return v;
    }
}
