package jcnn.ops;

import jcnn.tensor.Tensor;

/** Walks the elements of a (possibly strided) tensor for the scalar references. */
final class Elementwise {
    private Elementwise() {}

    interface Visitor { void visit(int n, long offsetInImage); }

    static void forEach(Tensor t, Visitor v) {
        long per = t.shape().size() / t.n();
        for (int n = 0; n < t.n(); n++) for (long i = 0; i < per; i++) v.visit(n, i);
    }
}
