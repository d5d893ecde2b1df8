package jcnn.io;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import jcnn.graph.Weights;

/**
 * Jazzer fuzzes the safetensors reader on whole files held in memory (the same code path as
 * {@link Safetensors#load}, minus the mmap). The documented outcomes are a {@link Weights} or one
 * IllegalArgumentException with a one-line message naming the file; any other exception (an index
 * out of bounds, an arithmetic overflow, an OutOfMemoryError from a size taken on trust), a hang or
 * a multi-line message is a finding and fails the build.
 *
 * <p>With JAZZER_FUZZ=1 (set by the pom's {@code fuzz} surefire execution, one JVM per fuzz class)
 * it runs 100,000 mutated inputs from the seeds in {@code SafetensorsFuzzTestInputs/fuzz}; without,
 * it replays the seeds only.
 */
class SafetensorsFuzzTest {
    private static final Path NAME = Path.of("fuzz.safetensors");

    @FuzzTest(maxExecutions = 100_000, maxDuration = "10m")
    void fuzz(byte[] file) {
        try {
            Weights w = Safetensors.read(NAME, MemorySegment.ofArray(file));
            for (String k : w.keys()) assertEquals(w.shape(k).size(), w.get(k).length, k);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            assertTrue(m != null && m.startsWith(NAME + ": "), "names the file: " + m);
            assertFalse(m.contains("\n"), "one line: " + m);
        }
    }
}
