package jcnn.models;

import jcnn.graph.Graph;
import jcnn.graph.Node;
import jcnn.ops.*;

/**
 * Per-channel mean and variance of every value of a graph under random weights, as {@link Init}
 * assumes them: the graph input is unit-variance noise, values are Gaussian per channel and channels
 * independent. Spatial effects (zero padding, pooling correlations) are ignored: they only shrink
 * activations a little, which BN after them absorbs.
 */
final class Moments {
    private final Graph g;
    private final double[][] mean, var;
    private final double[] inMean, inVar;

    Moments(Graph g) {
        this.g = g;
        int n = g.nodes().size();
        mean = new double[n][];
        var = new double[n][];
        inMean = new double[g.inputShape().c()];
        inVar = new double[g.inputShape().c()];
        java.util.Arrays.fill(inVar, 1.0);
    }

    double[] mean(int id) { return id == Graph.INPUT ? inMean : mean[id]; }
    double[] var(int id) { return id == Graph.INPUT ? inVar : var[id]; }
    int channels(int id) { return mean(id).length; }

    private void set(Node n, double[] m, double[] v) {
        mean[n.id()] = m;
        var[n.id()] = v;
    }

    /** Zero-mean weights of variance wVar: mean 0 (+ bias), variance wVar * k^2 * sum of E[x^2] over the group. */
    void conv(Node n, Conv2d c, double wVar, double biasVar) {
        double[] m = mean(n.input(0)), v = var(n.input(0));
        int cig = c.inC() / c.groups(), cog = c.outC() / c.groups();
        double[] om = new double[c.outC()], ov = new double[c.outC()];
        for (int grp = 0; grp < c.groups(); grp++) {
            double s = 0;
            for (int i = grp * cig; i < (grp + 1) * cig; i++) s += m[i] * m[i] + v[i];
            for (int o = grp * cog; o < (grp + 1) * cog; o++) ov[o] = wVar * c.kernel() * c.kernel() * s + biasVar;
        }
        if (c.residual()) add(om, ov, n.input(1));
        set(n, om, ov);
        if (c.act() != Activation.NONE) rectify(n.id());
    }

    /** Expected squared norm of a value flattened to {@code features} (H*W features per channel); at least 1e-12. */
    double sumOfSquares(int id, int features) {
        double[] m = mean(id), v = var(id);
        double perChannel = (double) features / m.length, s = 0;
        for (int i = 0; i < m.length; i++) s += perChannel * (m[i] * m[i] + v[i]);
        return Math.max(s, 1e-12);
    }

    void linear(Node n, Linear l, double wVar, double biasVar) {
        double s = sumOfSquares(n.input(0), l.in());
        double[] om = new double[l.out()], ov = new double[l.out()];
        java.util.Arrays.fill(ov, wVar * s + biasVar);
        set(n, om, ov);
    }

    void batchNorm(Node n, BatchNorm b, float[] gamma, float[] beta, float[] rm, float[] rv) {
        double[] m = mean(n.input(0)), v = var(n.input(0));
        double[] om = new double[m.length], ov = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            double s = gamma[i] / Math.sqrt(rv[i] + b.eps());
            om[i] = (m[i] - rm[i]) * s + beta[i];
            ov[i] = v[i] * s * s;
        }
        set(n, om, ov);
    }

    /**
     * Squeeze-and-excitation: x times a gate g = sigmoid(z) drawn independently of x, z about unit
     * Gaussian (fc1 and fc2 are He-scaled), so E[g] = 1/2 and E[g^2] ~ 0.293.
     */
    void squeezeExcite(Node n) {
        double[] m = mean(n.input(0)), v = var(n.input(0));
        double[] om = new double[m.length], ov = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            om[i] = 0.5 * m[i];
            ov[i] = Math.max(0.293 * (m[i] * m[i] + v[i]) - om[i] * om[i], 0);
        }
        set(n, om, ov);
    }

    void affine(Node n, float[] scale, float[] shift) {
        double[] m = mean(n.input(0)), v = var(n.input(0));
        double[] om = new double[m.length], ov = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            om[i] = m[i] * scale[i] + shift[i];
            ov[i] = v[i] * scale[i] * scale[i];
        }
        set(n, om, ov);
    }

    void weightless(Node n) {
        int in = n.arity() == 0 ? Graph.INPUT : n.input(0);
        double[] m = mean(in).clone(), v = var(in).clone();
        switch (n.op()) {
            case Act a -> {
                set(n, m, v);
                if (a.act() != Activation.NONE) rectify(n.id());
                return;
            }
            case Add a -> {
                add(m, v, n.input(1));
                set(n, m, v);
                if (a.act() != Activation.NONE) rectify(n.id());
                return;
            }
            case Concat c -> {
                int total = 0;
                for (int i : n.inputs()) total += channels(i);
                m = new double[total];
                v = new double[total];
                int at = 0;
                for (int i : n.inputs()) {
                    System.arraycopy(mean(i), 0, m, at, channels(i));
                    System.arraycopy(var(i), 0, v, at, channels(i));
                    at += channels(i);
                }
            }
            case Slice s -> {
                m = java.util.Arrays.copyOfRange(m, s.start(), s.start() + s.count());
                v = java.util.Arrays.copyOfRange(v, s.start(), s.start() + s.count());
            }
            case ChannelShuffle s -> {
                // out[j] = in[(j mod g) * (C/g) + j / g], the convention of ARCHITECTURES.md
                int c = m.length, per = c / s.groups();
                double[] pm = new double[c], pv = new double[c];
                for (int j = 0; j < c; j++) {
                    pm[j] = m[(j % s.groups()) * per + j / s.groups()];
                    pv[j] = v[(j % s.groups()) * per + j / s.groups()];
                }
                m = pm;
                v = pv;
            }
            case Softmax s -> {
                java.util.Arrays.fill(m, 1.0 / m.length);
                java.util.Arrays.fill(v, 0.0);
            }
            default -> { }  // pools: statistics kept (max pools raise the mean a little; BN absorbs it)
        }
        set(n, m, v);
    }

    private void add(double[] m, double[] v, int other) {
        double[] m2 = mean(other), v2 = var(other);
        for (int i = 0; i < m.length; i++) {
            m[i] += m2[i];
            v[i] += v2[i];
        }
    }

    /** ReLU of N(mu, s^2): E = mu Phi(a) + s phi(a), E[x^2] = (mu^2 + s^2) Phi(a) + mu s phi(a), a = mu/s. */
    private void rectify(int id) {
        double[] m = mean[id], v = var[id];
        for (int i = 0; i < m.length; i++) {
            double s = Math.sqrt(v[i]), mu = m[i];
            if (s < 1e-12) {
                m[i] = Math.max(mu, 0);
                v[i] = 0;
                continue;
            }
            double a = mu / s, pdf = StrictMath.exp(-0.5 * a * a) / Math.sqrt(2 * Math.PI), cdf = phi(a);
            double e1 = mu * cdf + s * pdf, e2 = (mu * mu + v[i]) * cdf + mu * s * pdf;
            m[i] = e1;
            v[i] = Math.max(e2 - e1 * e1, 0);
        }
    }

    /** Standard normal CDF via Abramowitz and Stegun 7.1.26 (|error| < 1.5e-7), StrictMath for determinism. */
    static double phi(double x) {
        double z = Math.abs(x) / Math.sqrt(2), t = 1 / (1 + 0.3275911 * z);
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * StrictMath.exp(-z * z);
        return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
    }
}
