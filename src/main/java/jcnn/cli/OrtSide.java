package jcnn.cli;

import jcnn.graph.Graph;
import jcnn.graph.Weights;
import jcnn.io.onnx.OnnxExporter;
import jcnn.io.onnx.OrtPeer;
import jcnn.tensor.Tensor;

/**
 * bench's ONNX Runtime side: exports the network with the same weights, opens an {@link OrtPeer}
 * on the same input, checks once that the two outputs agree (max abs difference) and times both
 * engines interleaved. Names ORT types, so it is loaded only after {@code OrtProbe.available()}.
 */
final class OrtSide {
    private OrtSide() {}

    static String version() { return OrtPeer.version(); }

    static BenchCommand.Row compare(String net, Graph g, Weights w, Tensor in, Tensor out, Runnable ours, long arenaBytes,
                                    int threads, int fixedIters, double budgetS) {
        byte[] model = OnnxExporter.toBytes(g, w);
        try (OrtPeer peer = OrtPeer.open(model, g.inputShape(), threads)) {
            peer.setInput(in);
            ours.run();
            float[] a = out.toArray(), b = peer.output();
            if (a.length != b.length) throw new IllegalStateException(net + ": output sizes differ, ours " + a.length + ", ORT " + b.length);
            double diff = 0, max = 0;
            for (int i = 0; i < a.length; i++) {
                double d = Math.abs((double) a[i] - b[i]);
                diff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(diff, d);
                max = Math.max(max, Math.abs(a[i]));
            }
            long[][] ns = Interleaved.time(new Runnable[] {ours, peer::run}, fixedIters, budgetS);
            return new BenchCommand.Row(net, g.params(), g.macs(), ns[0].length, Latency.of(ns[0]), arenaBytes, ns[0],
                Latency.of(ns[1]), ns[1], diff, max);
        }
    }
}
