package jcnn.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A CUDA device as the launchers see it: device memory, copies, kernel lookup and launch. Two
 * implementations share every launcher: {@link EmuDevice} (the kernels compiled by g++ against
 * native/emu, called through Panama FFM; tests and CI) and the JCuda/driver-API backend, whose
 * calls map one to one: malloc = cuMemAlloc, kernel = cuModuleGetFunction on kernels.fatbin,
 * launch = cuLaunchKernel with {@link KernelParams#argv()} as kernelParams.
 *
 * <p>Device pointers are plain {@code long} addresses (what CUdeviceptr holds). Launches are
 * asynchronous on a real device; {@link #synchronize()} waits. The emulator runs them at once.
 */
public interface Device extends AutoCloseable {
    /** Short description, e.g. "CUDA emulator (g++, libjcnn_emu.so)". */
    String name();

    /** Allocates {@code bytes} of device memory; throws {@link CudaException} when out of memory. */
    long malloc(long bytes);

    /** Frees memory from {@link #malloc}; 0 is ignored. */
    void free(long ptr);

    /** Copies {@code bytes} from host memory (native or heap segment) to device address {@code dst}. */
    void copyToDevice(long dst, MemorySegment src, long bytes);

    /** Copies {@code bytes} from device address {@code src} into host memory. */
    void copyToHost(MemorySegment dst, long src, long bytes);

    /** Sets {@code bytes} bytes at {@code dst} to {@code value} (cuMemsetD8). */
    void memset(long dst, int value, long bytes);

    /** Looks a kernel up by its extern "C" name, once per launch site; throws if it does not exist. */
    Kernel kernel(String name);

    /** Launches {@code k}; {@code params} must match the kernel's parameter list. */
    void launch(Kernel k, Dim3 grid, Dim3 block, int sharedBytes, KernelParams params);

    /** Waits for all launched work; reports an asynchronous error if one happened. */
    void synchronize();

    /**
     * Host memory for the executor's input and output staging, owned by {@code owner} (freed when it
     * closes): page-locked (cuMemHostAlloc) on a GPU so copies run asynchronously at full speed,
     * plain native memory on the emulator.
     */
    default MemorySegment hostAlloc(Arena owner, long bytes) { return owner.allocate(bytes, 64); }

    /**
     * A host-to-device copy with its pointers resolved once, issued many times without allocating
     * (the executor's input copy). On a GPU it is asynchronous on the device's stream and
     * {@code src} should come from {@link #hostAlloc}; {@link #synchronize()} waits for it.
     */
    default Runnable boundCopyToDevice(long dst, MemorySegment src, long bytes) { return () -> copyToDevice(dst, src, bytes); }

    /** The device-to-host twin of {@link #boundCopyToDevice} (asynchronous on a GPU). */
    default Runnable boundCopyToHost(MemorySegment dst, long src, long bytes) { return () -> copyToHost(dst, src, bytes); }

    /**
     * Records the launches {@code launches} makes into a replayable graph (CUDA graph capture of the
     * device's stream), or returns null where the device has no graphs (the emulator, which then
     * runs the launches directly each time).
     */
    default DeviceGraph capture(Runnable launches) { return null; }

    /** A captured graph: {@link #launch()} replays every recorded launch with one call. */
    interface DeviceGraph extends AutoCloseable {
        void launch();
        @Override void close();
    }

    /** Frees what this device still holds. */
    @Override void close();

    /** A looked-up kernel: its name (for messages) and the backend's handle (CUfunction, emulator entry). */
    record Kernel(String name, Object handle) {}

    /** Grid or block dimensions. */
    record Dim3(int x, int y, int z) {
        public Dim3 {
            if (x <= 0 || y <= 0 || z <= 0) throw new IllegalArgumentException("dim3 must be positive: " + x + "," + y + "," + z);
        }
        public static Dim3 of(int x) { return new Dim3(x, 1, 1); }
        public static Dim3 of(int x, int y, int z) { return new Dim3(x, y, z); }
        public long count() { return (long) x * y * z; }
    }
}
