package jcnn.io.onnx;

/**
 * Whether ONNX Runtime is on the classpath. Kept apart from {@link Ort}, which names ORT types and
 * so fails to load without the jar; this class names none.
 */
public final class OrtProbe {
    private OrtProbe() {}

    public static boolean available() {
        try {
            Class.forName("ai.onnxruntime.OrtEnvironment", false, OrtProbe.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
