package jcnn.io.onnx;

import jcnn.ops.AvgPool;
import jcnn.tensor.Shape;

/**
 * PyTorch and ONNX Runtime part ways on average pooling with both ceil_mode and count_include_pad
 * when a window runs past the right padding: PyTorch divides by the window clipped to H + pad, ORT
 * (1.23) by the whole kernel. Measured on a row of ones, k 3, s 2, p 1, width 8: the last window
 * gives 1/6 in PyTorch, 1/9 in ORT; and without count_include_pad ORT keeps a last window that starts
 * in the padding, which PyTorch drops (k 3, s 3, p 1, H 8: 4 rows, not 3). So every ceil-mode average
 * pool is exported in floor mode with the right padding widened to give PyTorch's output size,
 * without count_include_pad (real elements only, where both agree), times a constant map
 * real/divisor per output position when count_include_pad is on; the importer folds that back.
 */
final class AvgPoolFix {
    private AvgPoolFix() {}

    /** The end padding {H, W} that gives floor mode PyTorch's ceil-mode output size (at least the begin padding). */
    static int[] endPads(AvgPool p, Shape in) {
        Shape o = p.outputShape(in);
        return new int[] {Math.max(p.pad(), (o.h() - 1) * p.stride() + p.kernel() - in.h() - p.pad()),
                          Math.max(p.pad(), (o.w() - 1) * p.stride() + p.kernel() - in.w() - p.pad())};
    }

    /** Output size of floor mode with begin padding {@code pad} and end padding {@code end}. */
    static int floorOut(int in, int k, int s, int pad, int end) { return (in + pad + end - k) / s + 1; }

    /** The [1, 1, OH, OW] map of (real elements in the window) / (PyTorch's count_include_pad divisor). */
    static float[] map(AvgPool p, Shape in) {
        Shape o = p.outputShape(in);
        int H = in.h(), W = in.w();
        float[] m = new float[o.h() * o.w()];
        for (int oy = 0; oy < o.h(); oy++)
            for (int ox = 0; ox < o.w(); ox++) {
                int y0 = oy * p.stride() - p.pad(), x0 = ox * p.stride() - p.pad();
                int real = (Math.min(y0 + p.kernel(), H) - Math.max(y0, 0)) * (Math.min(x0 + p.kernel(), W) - Math.max(x0, 0));
                m[oy * o.w() + ox] = (float) ((double) real / p.divisor(y0, x0, H, W));
            }
        return m;
    }
}
