package jcnn.tensor;

import java.util.Arrays;

/**
 * An immutable tensor shape of rank 1 to 4. Activations are NCHW; weights use the same class
 * (a conv weight is {@code [Cout, Cin/groups, k, k]}, a linear weight {@code [out, in]}).
 * Zero or negative dimensions, a rank outside 1..4 and more elements than a 64-bit byte count holds
 * throw IllegalArgumentException naming the dimensions; null throws NullPointerException.
 */
public final class Shape {
    private final int[] dims;
    private final long size;

    private Shape(int[] dims) {
        if (dims == null) throw new NullPointerException("shape dimensions are null");
        if (dims.length < 1 || dims.length > 4) {
            throw new IllegalArgumentException("shape rank must be 1..4, got " + dims.length + ": " + Arrays.toString(dims));
        }
        long s = 1;
        for (int d : dims) {
            if (d <= 0) throw new IllegalArgumentException("shape dimensions must be positive: " + Arrays.toString(dims));
            if (s > Long.MAX_VALUE / Float.BYTES / d) { // so that every byte count of a float tensor fits a long
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has too many elements for a 64-bit byte count");
            }
            s *= d;
        }
        this.dims = dims;
        this.size = s;
    }

    public static Shape of(int... dims) {
        if (dims == null) throw new NullPointerException("shape dimensions are null");
        return new Shape(dims.clone());
    }

    /** An NCHW activation shape. */
    public static Shape nchw(int n, int c, int h, int w) { return new Shape(new int[] {n, c, h, w}); }

    public int rank() { return dims.length; }
    public int dim(int i) { return dims[i]; }
    public int[] dims() { return dims.clone(); }
    /** Number of elements. */
    public long size() { return size; }

    // NCHW accessors; valid on rank-4 shapes (rank 2 [N, C] is read as N, C, 1, 1).
    public int n() { return dims[0]; }
    public int c() { return dims.length > 1 ? dims[1] : 1; }
    public int h() { return dims.length > 2 ? dims[2] : 1; }
    public int w() { return dims.length > 3 ? dims[3] : 1; }

    /** Same shape with another channel count (NCHW). */
    public Shape withC(int c) { int[] d = dims.clone(); d[1] = c; return new Shape(d); }
    /** Same shape with another batch. */
    public Shape withN(int n) { int[] d = dims.clone(); d[0] = n; return new Shape(d); }

    /** Throws IllegalArgumentException naming both shapes unless {@code other} equals this. */
    public void require(Shape other, String what) {
        if (other == null) throw new NullPointerException(what + ": expected shape " + this + " but got null");
        if (!equals(other)) throw new IllegalArgumentException(what + ": expected shape " + this + " but got " + other);
    }

    @Override public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }
    @Override public int hashCode() { return Arrays.hashCode(dims); }
    @Override public String toString() { return Arrays.toString(dims); }
}
