package jcnn.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jcnn.graph.Graph;
import jcnn.graph.Node;
import jcnn.ops.Linear;

/** Comparing our counts with numbers printed in a paper at the precision they are printed. */
final class Printed {
    private Printed() {}

    /**
     * {@code printed} is a decimal string in {@code unit}s ("0.8" M, "569" M, "4.2" G): {@code actual}
     * must round to it, i.e. lie within half a unit of its last printed digit.
     */
    static void matches(String printed, double unit, double actual, String what) {
        int dot = printed.indexOf('.');
        int decimals = dot < 0 ? 0 : printed.length() - dot - 1;
        double half = 0.5 * Math.pow(10, -decimals) * unit;
        double expected = Double.parseDouble(printed) * unit;
        assertTrue(Math.abs(actual - expected) <= half + 1e-9 * unit,
            what + ": printed " + printed + " x " + unit + ", ours " + actual / unit + " (tolerance " + half / unit + ")");
    }

    /** Within a relative {@code tol} of a nominal value the paper gives as "~x" or as one number for several nets. */
    static void near(double nominal, double tol, double actual, String what) {
        assertTrue(Math.abs(actual - nominal) <= tol * nominal,
            what + ": nominal " + nominal + ", ours " + actual + " (" + String.format("%+.1f%%", 100 * (actual / nominal - 1)) + ")");
    }

    /** MACs of the conv layers only (no linear layer): the convention of ShuffleNet v1's Table 1. */
    static long convMacs(Graph g) {
        long m = 0;
        for (Node n : g.nodes()) if (!(n.op() instanceof Linear)) m += g.macs(n);
        return m;
    }

    /** The linear layer's parameters (a backbone's count is the total less these). */
    static long linearParams(Graph g) {
        long p = 0;
        for (Node n : g.nodes()) if (n.op() instanceof Linear) p += n.op().params();
        return p;
    }
}
