package jcnn.models;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import jcnn.graph.Graph;
import jcnn.graph.Node;
import jcnn.graph.Weights;
import jcnn.ops.*;
import jcnn.tensor.Shape;

/**
 * Deterministic random weights that keep activations O(1) through hundreds of layers, for tests and
 * benchmarks without trained weights.
 *
 * <p><b>Determinism.</b> Each weight tensor draws from its own {@link SplittableRandom} seeded by
 * (seed, state-dict key); values are affine maps of nextDouble (specified bit for bit) and the
 * statistics below use only + - * / sqrt and StrictMath, so the result depends on the seed and the
 * graph's structure alone: not on the thread count, the fill order, the input size or the platform.
 *
 * <p><b>Scale.</b> Conv and linear weights are zero-mean uniform with He's variance 2 / fan_in
 * (fan_in = in/groups * k * k), except the logits layer's, 1 / E[|x|^2] of its input, so that the
 * logits have about unit variance. {@link Moments} propagates a per-channel mean and variance through the graph (Gaussian rules: a conv's output has mean 0 and
 * variance var_w * k^2 * sum of its inputs' second moments; ReLU by the rectified-Gaussian formulas;
 * add, concat, slice and shuffle exactly), and each BN's running statistics are set from its input's
 * so that BN really normalises: running_mean = mean + U(-0.1, 0.1) * std, running_var =
 * var * U(0.8, 1.2), gamma ~ U(0.8, 1.2), beta ~ U(-0.1, 0.1). None of them is the identity, so BN
 * folding is exercised. A BN that ends a residual branch (feeds an Add) has gamma halved, so a
 * residual stream grows by about a quarter of a unit of variance per block instead of doubling.
 */
public final class Init {
    private Init() {}

    /** Weights for every key {@code g} needs. */
    public static Weights init(Graph g, long seed) {
        Map<String, float[]> small = new HashMap<>();   // BN tensors, drawn during propagation
        Map<String, Double> stdOf = new HashMap<>();    // conv/linear tensors: uniform with this std, drawn after
        List<List<Integer>> consumers = g.consumers();
        Moments m = new Moments(g);
        for (Node n : g.nodes()) {
            switch (n.op()) {
                case Conv2d c -> {
                    double var = 2.0 / (c.inC() / c.groups() * c.kernel() * c.kernel());
                    stdOf.put(n.weightKey("weight"), Math.sqrt(var));
                    if (c.bias()) stdOf.put(n.weightKey("bias"), 0.01);
                    m.conv(n, c, var, c.bias() ? 1e-4 : 0);
                }
                case Linear l -> {
                    // the logits layer is scaled to its input's predicted second moment: logits ~ unit variance
                    double var = n.id() == g.outputId() ? 1.0 / m.sumOfSquares(n.input(0), l.in()) : 2.0 / l.in();
                    stdOf.put(n.weightKey("weight"), Math.sqrt(var));
                    if (l.bias()) stdOf.put(n.weightKey("bias"), 0.01);
                    m.linear(n, l, var, l.bias() ? 1e-4 : 0);
                }
                case BatchNorm b -> {
                    boolean endsBranch = consumers.get(n.id()).stream().anyMatch(i -> g.node(i).op() instanceof Add);
                    double k = endsBranch ? 0.5 : 1.0;
                    double[] mean = m.mean(n.input(0)), var = m.var(n.input(0));
                    float[] gamma = draw(seed, n.weightKey("weight"), b.channels(), (i, u) -> k * (0.8 + 0.4 * u));
                    float[] beta = draw(seed, n.weightKey("bias"), b.channels(), (i, u) -> -0.1 + 0.2 * u);
                    float[] rm = draw(seed, n.weightKey("running_mean"), b.channels(), (i, u) -> mean[i] + (-0.1 + 0.2 * u) * Math.sqrt(var[i]));
                    float[] rv = draw(seed, n.weightKey("running_var"), b.channels(), (i, u) -> Math.max(var[i], 1e-4) * (0.8 + 0.4 * u));
                    small.put(n.weightKey("weight"), gamma);
                    small.put(n.weightKey("bias"), beta);
                    small.put(n.weightKey("running_mean"), rm);
                    small.put(n.weightKey("running_var"), rv);
                    m.batchNorm(n, b, gamma, beta, rm, rv);
                }
                case SqueezeExcite e -> {
                    // the gate's pre-activation about unit variance: fc1 sees channel means of O(1) second moment
                    stdOf.put(n.weightKey("fc1.weight"), Math.sqrt(2.0 / e.channels()));
                    stdOf.put(n.weightKey("fc1.bias"), 0.01);
                    stdOf.put(n.weightKey("fc2.weight"), Math.sqrt(2.0 / e.reduced()));
                    stdOf.put(n.weightKey("fc2.bias"), 0.01);
                    m.squeezeExcite(n);
                }
                case ChannelAffine a -> {
                    float[] scale = draw(seed, n.weightKey("scale"), m.channels(n.input(0)), (i, u) -> 0.8 + 0.4 * u);
                    float[] shift = draw(seed, n.weightKey("shift"), scale.length, (i, u) -> -0.1 + 0.2 * u);
                    small.put(n.weightKey("scale"), scale);
                    small.put(n.weightKey("shift"), shift);
                    m.affine(n, scale, shift);
                }
                default -> m.weightless(n);
            }
        }
        Map<String, Shape> shapes = g.weightShapes();
        List<String> keys = new ArrayList<>(shapes.keySet());
        // every tensor depends only on (seed, key, shape): filling them in parallel changes nothing
        float[][] values = keys.parallelStream().map(k -> {
            float[] v = small.get(k);
            if (v != null) return v;
            double half = stdOf.get(k) * Math.sqrt(3);
            return draw(seed, k, Math.toIntExact(shapes.get(k).size()), (i, u) -> half * (2 * u - 1));
        }).toArray(float[][]::new);
        Weights w = new Weights();
        for (int i = 0; i < keys.size(); i++) w.put(keys.get(i), shapes.get(keys.get(i)), values[i]);
        return w;
    }

    /** Element i as a function of its index and a uniform u in [0, 1). */
    interface Value { double at(int i, double u); }

    static float[] draw(long seed, String key, int n, Value f) {
        var rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ fnv1a(key));
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) f.at(i, rnd.nextDouble());
        return v;
    }

    /** 64-bit FNV-1a of the key's UTF-8 bytes: a stable hash (String.hashCode has 32 bits only). */
    static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
