package jcnn.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The argument block of one launch site, in cuLaunchKernel's convention: {@link #argv()} is a
 * native {@code void*[n]} whose i-th entry points at the i-th argument's value. Built once (per
 * launch site, in the launcher's arena) and updated in place before each launch, so launching
 * allocates nothing. The same block serves the emulator (emu_launch) and the driver API
 * (cuLaunchKernel's kernelParams).
 *
 * <p>Each argument owns an 8-byte slot; an int or float uses the first 4 bytes (little-endian),
 * which is what the kernel reads for a 4-byte parameter. Not thread-safe: one launch site, one thread.
 */
public final class KernelParams {
    /** Kernel parameter types: device pointer, int, long long, float. */
    public enum Type { PTR, I32, I64, F32 }

    private final Type[] types;
    private final MemorySegment slots;
    private final MemorySegment argv;

    public KernelParams(Arena arena, Type... types) {
        if (types.length == 0) throw new IllegalArgumentException("a kernel launch site needs at least one parameter");
        this.types = types.clone();
        this.slots = arena.allocate(8L * types.length, 8);
        this.argv = arena.allocate(ValueLayout.ADDRESS, types.length);
        for (int i = 0; i < types.length; i++) argv.setAtIndex(ValueLayout.ADDRESS, i, slots.asSlice(8L * i, 8));
    }

    public int count() { return types.length; }

    /** The native void** array to hand to the launch call. */
    public MemorySegment argv() { return argv; }

    public KernelParams ptr(int i, long devicePtr) { check(i, Type.PTR); slots.set(ValueLayout.JAVA_LONG, 8L * i, devicePtr); return this; }
    public KernelParams i32(int i, int v) { check(i, Type.I32); slots.set(ValueLayout.JAVA_INT, 8L * i, v); return this; }
    public KernelParams i64(int i, long v) { check(i, Type.I64); slots.set(ValueLayout.JAVA_LONG, 8L * i, v); return this; }
    public KernelParams f32(int i, float v) { check(i, Type.F32); slots.set(ValueLayout.JAVA_FLOAT, 8L * i, v); return this; }

    /** Declared type of argument i. */
    public Type type(int i) { return types[i]; }

    /** The 8 raw bytes of argument i's slot (for tracing/replay tools; ints and floats in the low 4 bytes). */
    public long raw(int i) { return slots.get(ValueLayout.JAVA_LONG, 8L * i); }

    private void check(int i, Type t) {
        if (i < 0 || i >= types.length) throw new IndexOutOfBoundsException("argument " + i + " of " + types.length);
        if (types[i] != t) throw new IllegalArgumentException("argument " + i + " is " + types[i] + ", not " + t);
    }
}
