package jcnn.cli;

import java.util.Arrays;

/** Summary of timed runs: percentiles by nearest rank over the sorted samples, in milliseconds. */
record Latency(int runs, double minMs, double p50Ms, double p90Ms, double p99Ms, double maxMs, double meanMs) {
    static Latency of(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        double sum = 0;
        for (long x : s) sum += x;
        return new Latency(s.length, s[0] / 1e6, pct(s, 50), pct(s, 90), pct(s, 99), s[s.length - 1] / 1e6, sum / s.length / 1e6);
    }

    private static double pct(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    /** Images per second at the median latency. */
    double imagesPerSecond(int batch) { return batch * 1000.0 / p50Ms; }
}
