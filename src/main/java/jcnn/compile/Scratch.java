package jcnn.compile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jcnn.tensor.Tensor;

/**
 * Temporary memory shared by the steps of one plan (im2col columns, a transformed input): steps
 * declare the bytes they need while the plan is built, the plan allocates the largest need once in
 * its arena, and steps read {@link #segment()} when they run. Steps run one at a time, so one
 * segment serves them all.
 */
public final class Scratch {
    private long need;
    private MemorySegment seg;

    /** Declares that a step needs {@code bytes} of scratch when it runs. */
    public void require(long bytes) {
        if (seg != null) throw new IllegalStateException("scratch already allocated");
        need = Math.max(need, bytes);
    }

    void allocate(Arena arena) { seg = arena.allocate(Math.max(Tensor.ALIGN, need), Tensor.ALIGN); }

    public long bytes() { return need; }

    /** The scratch memory (valid once the plan is built). */
    public MemorySegment segment() { return seg; }
}
