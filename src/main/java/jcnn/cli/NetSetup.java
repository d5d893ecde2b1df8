package jcnn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jcnn.graph.Graph;
import jcnn.graph.Weights;
import jcnn.models.Zoo;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/** What run and bench share: a network from the zoo at a size, its weights, a fixed input, top-k. */
final class NetSetup {
    private NetSetup() {}

    static final long WEIGHT_SEED = 42;

    static Zoo.Spec spec(String net) {
        try {
            return Zoo.parse(net);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    static Graph build(Zoo.Spec spec, int batch, int size) {
        try {
            return spec.build(Shape.nchw(batch, 3, size, size));
        } catch (IllegalArgumentException e) {
            throw new UserError("size " + size + " is not possible for " + spec.name() + ": " + e.getMessage());
        }
    }

    /** Weights from a safetensors file, or deterministic synthetic ones. */
    static Weights weights(Graph g, String file) {
        if (file == null) return jcnn.models.Init.init(g, WEIGHT_SEED);
        Path p = Path.of(file);
        if (!Files.isReadable(p)) throw new UserError("cannot read weights " + file + ": no such readable file");
        Weights w;
        try {
            w = jcnn.io.Safetensors.load(p);
        } catch (IOException | RuntimeException e) {
            throw new UserError("cannot read weights " + file + ": " + e.getMessage(), e);
        }
        try {
            w.requireFor(g);
        } catch (IllegalArgumentException e) {
            throw new UserError("weights " + file + " do not fit " + g.name() + ": " + e.getMessage(), e);
        }
        return w;
    }

    /** A fixed input: a smooth deterministic pattern in [-1, 1], the same on every machine. */
    static Tensor input(Shape s) {
        Tensor t = Tensor.allocate(s);
        long per = s.size() / s.n();
        for (long i = 0; i < s.size(); i++) t.set(i, (float) Math.sin(0.37 * (i % per) + 0.11 * (i / per)));
        return t;
    }

    /** Indices of the k largest values of image 0 of {@code logits}, largest first. */
    static int[] topK(Tensor logits, int k) {
        float[] v = logits.toArray();
        int per = v.length / logits.n();
        k = Math.min(k, per);
        int[] top = new int[k];
        boolean[] used = new boolean[per];
        for (int j = 0; j < k; j++) {
            int best = -1;
            for (int i = 0; i < per; i++) if (!used[i] && (best < 0 || v[i] > v[best])) best = i;
            used[best] = true;
            top[j] = best;
        }
        return top;
    }
}
