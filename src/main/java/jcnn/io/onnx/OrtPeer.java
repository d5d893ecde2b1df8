package jcnn.io.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * ONNX Runtime as the timing peer: one session on an exported model, held open, with its input in
 * a direct buffer that ORT reads in place. Session options, fixed so that the comparison is
 * reproducible: intra-op threads = {@code threads}, inter-op threads 1, sequential execution, all
 * graph optimisations on, everything else ORT's default (per-session thread pool, spinning on).
 * {@link #run()} is one inference on the held input; it allocates only what ORT's Java API does
 * per call (the result holder). Like {@link Ort}, load this class only when
 * {@link OrtProbe#available()}.
 */
public final class OrtPeer implements AutoCloseable {
    private final OrtSession session;
    private final OnnxTensor input;
    private final FloatBuffer inputBuf;
    private final Map<String, OnnxTensor> feed;
    private final int threads;

    private OrtPeer(OrtSession session, OnnxTensor input, FloatBuffer inputBuf, int threads) throws OrtException {
        this.session = session;
        this.input = input;
        this.inputBuf = inputBuf;
        this.feed = Map.of(session.getInputNames().iterator().next(), input);
        this.threads = threads;
    }

    /** Opens a session on {@code model} (ONNX bytes) for inputs of shape {@code in}. */
    public static OrtPeer open(byte[] model, Shape in, int threads) {
        if (threads < 1) throw new IllegalArgumentException("ORT peer needs threads >= 1, got " + threads);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession s = null;
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            s = env.createSession(model, o);
            FloatBuffer buf = ByteBuffer.allocateDirect(Math.toIntExact(in.size() * 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
            long[] dims = new long[in.rank()];
            for (int i = 0; i < dims.length; i++) dims[i] = in.dim(i);
            OnnxTensor x = OnnxTensor.createTensor(env, buf, dims);
            return new OrtPeer(s, x, buf, threads);
        } catch (OrtException e) {
            if (s != null) closeQuietly(s);
            throw new IllegalArgumentException("ONNX Runtime: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** Copies {@code t} (the shape given to {@link #open}) into the held input. */
    public void setInput(Tensor t) {
        float[] v = t.toArray();
        if (v.length != inputBuf.capacity()) throw new IllegalArgumentException("ORT peer input has " + inputBuf.capacity() + " elements, got " + v.length);
        inputBuf.clear();
        inputBuf.put(v);
        inputBuf.clear();
    }

    /** One inference on the held input; the output is dropped. */
    public void run() {
        try (OrtSession.Result r = session.run(feed)) {
            if (r.size() == 0) throw new IllegalStateException("ONNX Runtime returned no output");
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** One inference on the held input; its first output, flattened. */
    public float[] output() {
        try (OrtSession.Result r = session.run(feed)) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] v = new float[fb.remaining()];
            fb.get(v);
            return v;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    public int threads() { return threads; }

    /** ONNX Runtime's version string, e.g. "1.23.2". */
    public static String version() { return OrtEnvironment.getEnvironment().getVersion(); }

    /** The session options, for reports. */
    public String options() {
        return "intra_op_threads=" + threads + " inter_op_threads=1 execution_mode=sequential optimization=all";
    }

    @Override
    public void close() {
        input.close();
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException e) {
            // closing a session only fails when it is already closed
        }
    }
}
