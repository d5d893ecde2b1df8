package jcnn.io.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Runs an ONNX model in ONNX Runtime: the independent oracle for the exported graphs. ONNX Runtime
 * is an optional dependency: call {@link OrtProbe#available()} first, since this class cannot even
 * load (NoClassDefFoundError) when its jar is not on the classpath.
 */
public final class Ort {
    private Ort() {}

    /**
     * The model's first output for {@code input} on its first input, as a new tensor the caller
     * closes. {@code threads} bounds ORT's intra-op pool (0: ORT's default).
     */
    public static Tensor run(byte[] model, Tensor input, int threads) { return run(model, null, input, threads); }

    /** The same from a file: ORT then finds external data files beside it. */
    public static Tensor run(java.nio.file.Path model, Tensor input, int threads) { return run(null, model, input, threads); }

    private static Tensor run(byte[] bytes, java.nio.file.Path file, Tensor input, int threads) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            if (threads > 0) opts.setIntraOpNumThreads(threads);
            try (OrtSession s = bytes != null ? env.createSession(bytes, opts) : env.createSession(file.toString(), opts);
                 OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.toArray()), dims(input.shape()));
                 OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), x))) {
                OnnxTensor y = (OnnxTensor) r.get(0);
                long[] d = y.getInfo().getShape();
                int[] id = new int[d.length];
                for (int i = 0; i < d.length; i++) id[i] = Math.toIntExact(d[i]);
                FloatBuffer fb = y.getFloatBuffer();
                float[] v = new float[fb.remaining()];
                fb.get(v);
                return Tensor.wrap(v, Shape.of(id));
            }
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private static long[] dims(Shape s) {
        long[] d = new long[s.rank()];
        for (int i = 0; i < d.length; i++) d[i] = s.dim(i);
        return d;
    }
}
