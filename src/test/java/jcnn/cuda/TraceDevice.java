package jcnn.cuda;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import jcnn.tensor.Tensor;

/**
 * A {@link Device} decorator that records every allocation, upload, memset and launch (with its
 * raw argument slots) plus the tests' reference outputs into a binary trace, which
 * native/gpucheck.cu replays on a real GPU from kernels.fatbin and checks against those references.
 * On with {@code -Djcnn.gputrace=FILE} (native/gpucheck.sh trace). Little-endian records, one letter each:
 * M ptr bytes | F ptr | H dst bytes data | S dst value bytes | L name grid[3] block[3] shared nargs (type raw)* |
 * E what ptr batchStride n perImage atol rtol floats(reference).
 */
final class TraceDevice implements Device {
    private final Device inner;
    private final DataOutputStream out;

    TraceDevice(Device inner, Path file) {
        this.inner = inner;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            OutputStream os = new BufferedOutputStream(Files.newOutputStream(file));
            this.out = new DataOutputStream(os);
            out.writeBytes("JCNNTRC1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::flush));
    }

    private synchronized void rec(IoAction a) {
        try { a.run(); } catch (IOException e) { throw new UncheckedIOException(e); }
    }

    private interface IoAction { void run() throws IOException; }

    private void u64(long v) throws IOException { out.writeLong(Long.reverseBytes(v)); }
    private void u32(int v) throws IOException { out.writeInt(Integer.reverseBytes(v)); }
    private void str(String s) throws IOException { u32(s.length()); out.writeBytes(s); }

    synchronized void flush() { try { out.flush(); } catch (IOException ignored) { } }

    /** Records the reference a test compared {@code got} with; atol/rtol 0 = bit-exact. */
    void expect(String what, DeviceTensor got, Tensor ref, double atol, double rtol) {
        float[] r = ref.toArray();
        rec(() -> {
            out.writeByte('E');
            str(what.length() > 200 ? what.substring(0, 200) : what);
            u64(got.ptr()); u64(got.batchStride()); u32(got.n()); u64(got.perImage());
            out.writeInt(Integer.reverseBytes(Float.floatToRawIntBits((float) atol)));
            out.writeInt(Integer.reverseBytes(Float.floatToRawIntBits((float) rtol)));
            for (float f : r) out.writeInt(Integer.reverseBytes(Float.floatToRawIntBits(f)));
        });
    }

    @Override public String name() { return inner.name() + " (traced)"; }

    @Override public long malloc(long bytes) {
        long p = inner.malloc(bytes);
        rec(() -> { out.writeByte('M'); u64(p); u64(bytes); });
        return p;
    }

    @Override public void free(long ptr) {
        inner.free(ptr);
        rec(() -> { out.writeByte('F'); u64(ptr); });
    }

    @Override public void copyToDevice(long dst, MemorySegment src, long bytes) {
        inner.copyToDevice(dst, src, bytes);
        byte[] data = src.asSlice(0, bytes).toArray(ValueLayout.JAVA_BYTE);
        rec(() -> { out.writeByte('H'); u64(dst); u64(bytes); out.write(data); });
    }

    @Override public void copyToHost(MemorySegment dst, long src, long bytes) { inner.copyToHost(dst, src, bytes); }

    @Override public void memset(long dst, int value, long bytes) {
        inner.memset(dst, value, bytes);
        rec(() -> { out.writeByte('S'); u64(dst); u32(value); u64(bytes); });
    }

    @Override public Kernel kernel(String name) { return inner.kernel(name); }

    @Override public void launch(Kernel k, Dim3 grid, Dim3 block, int sharedBytes, KernelParams params) {
        inner.launch(k, grid, block, sharedBytes, params);
        rec(() -> {
            out.writeByte('L');
            str(k.name());
            u32(grid.x()); u32(grid.y()); u32(grid.z()); u32(block.x()); u32(block.y()); u32(block.z());
            u32(sharedBytes); u32(params.count());
            for (int i = 0; i < params.count(); i++) { out.writeByte(params.type(i).ordinal()); u64(params.raw(i)); }
        });
    }

    @Override public void synchronize() { inner.synchronize(); }

    @Override public void close() { flush(); inner.close(); }
}
