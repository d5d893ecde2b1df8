package jcnn.io.onnx;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzzes the ONNX reader and importer together ({@link OnnxImporter#fromBytes}: wire
 * format, tensors, constant folding, op conversion, shape checks). The documented outcomes are an
 * imported graph or one IllegalArgumentException with a one-line message; anything else (an
 * exception type the importer does not document, an OutOfMemoryError from a length or dimension
 * taken on trust, a hang, a multi-line message) is a finding and fails the build.
 *
 * <p>With JAZZER_FUZZ=1 (the pom's {@code fuzz} surefire execution, one JVM per fuzz class) it runs
 * 100,000 mutated inputs from the seeds in {@code OnnxFuzzTestInputs/fuzz} (written by
 * {@link OnnxFuzzSeeds}); without, it replays the seeds only.
 */
class OnnxFuzzTest {
    @FuzzTest(maxExecutions = 100_000, maxDuration = "10m")
    void fuzz(byte[] model) {
        try {
            OnnxImporter.Imported m = OnnxImporter.fromBytes(model, "fuzz", null);
            assertNotNull(m.graph());
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            assertNotNull(msg, "a message");
            assertFalse(msg.contains("\n"), "one line: " + msg);
            // the importer's safety net turns an internal index/arithmetic/cast error into an IAE; the fuzzer
            // counts reaching it as a finding, since such a message does not name the problem
            Throwable c = e.getCause();
            assertFalse(c instanceof IndexOutOfBoundsException || c instanceof ArithmeticException
                || c instanceof NegativeArraySizeException || c instanceof ClassCastException, "safety net reached: " + msg);
        }
    }
}
