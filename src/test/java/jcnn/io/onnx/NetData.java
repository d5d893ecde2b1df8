package jcnn.io.onnx;

import java.util.SplittableRandom;
import jcnn.graph.Graph;
import jcnn.graph.Weights;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/** Random weights for any graph and the error measures of the ONNX cross-checks. */
final class NetData {
    private NetData() {}

    /** Every weight the graph needs: fan-in scaled uniform values; BN variances in [0.5, 1.5]. */
    static Weights randomWeights(Graph g, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Weights w = new Weights();
        for (var e : g.weightShapes().entrySet()) {
            Shape s = e.getValue();
            float[] v = new float[(int) s.size()];
            boolean var = e.getKey().endsWith("running_var");
            double scale = s.rank() >= 2 ? Math.sqrt(3.0 / (s.size() / s.dim(0))) : 0.5;
            for (int i = 0; i < v.length; i++) v[i] = var ? (float) (0.5 + r.nextDouble()) : (float) ((2 * r.nextDouble() - 1) * scale);
            w.put(e.getKey(), s, v);
        }
        return w;
    }

    static Tensor randomInput(Shape s, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.allocate(s);
        for (long i = 0; i < s.size(); i++) t.set(i, (float) (2 * r.nextDouble() - 1));
        return t;
    }

    /** Max |a - b|, max |a - b| / max|ref| and max|ref|, over all elements. */
    record Error(double maxAbs, double maxRel, double refMax) {
        /** rtol 1e-4 elementwise plus atol 1e-5 scaled by the output's magnitude. */
        boolean within(double rtol, double atol) { return maxAbs <= atol * Math.max(1, refMax) + rtol * refMax; }
        @Override public String toString() { return String.format("max abs %.3g, max rel %.3g (of max |ref| %.3g)", maxAbs, maxRel, refMax); }
    }

    static Error error(Tensor ref, Tensor got) {
        if (ref.shape().size() != got.shape().size()) throw new AssertionError("shape " + got.shape() + " != reference " + ref.shape());
        float[] a = ref.toArray(), b = got.toArray();
        double m = 0, d = 0;
        for (float x : a) m = Math.max(m, Math.abs(x));
        for (int i = 0; i < a.length; i++) {
            double e = Math.abs((double) a[i] - b[i]);
            if (Double.isNaN(e)) e = Double.POSITIVE_INFINITY;
            d = Math.max(d, e);
        }
        return new Error(d, m == 0 ? d : d / m, m);
    }

    /** Elementwise check: |got - ref| <= atol * max(1, max|ref|) + rtol * |ref|. */
    static boolean close(Tensor ref, Tensor got, double rtol, double atol) {
        float[] a = ref.toArray(), b = got.toArray();
        double m = 0;
        for (float x : a) m = Math.max(m, Math.abs(x));
        for (int i = 0; i < a.length; i++) if (!(Math.abs(a[i] - b[i]) <= atol * Math.max(1, m) + rtol * Math.abs(a[i]))) return false;
        return true;
    }
}
