package jcnn.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.CUstreamCaptureMode;
import jcuda.driver.JCudaDriver;

/**
 * The GPU as a {@link Device}, through JCuda's driver API: device 0's primary context
 * (cuDevicePrimaryCtxRetain, made current on whichever thread calls), kernels/*.cu from the
 * {@link Fatbin} (cuModuleLoadData), one stream for every copy and launch, pinned host buffers
 * (cuMemHostAlloc), and CUDA graph capture of a whole forward ({@link #capture}).
 *
 * <p>Launches pass {@link KernelParams#argv()} itself as cuLaunchKernel's kernelParams: a JCuda
 * Pointer onto that native address (JCuda hands a plain Pointer's address through unchanged), so
 * nothing is marshalled per launch. Device addresses are longs; a CUdeviceptr is rebuilt from one
 * only off the hot path (the executor's copies are bound once, see {@link #boundCopyToDevice}).
 *
 * <p>Before any JCuda class loads (its natives link libcuda.so.1), {@link CudaDriverProbe} checks
 * the driver and a device, and {@link Fatbin} the kernels; any failure is a one-line
 * {@link CudaException}, never an UnsatisfiedLinkError. Synchronous methods (copies, memset)
 * wait for the stream; {@link #boundCopyToDevice}/{@link #boundCopyToHost}, launches and graph
 * launches do not until {@link #synchronize()}.
 */
public final class CudaDevice implements Device {
    /** Address 0: {@code ZERO.withByteOffset(a)} is device address a (JCuda passes nativePointer + byteOffset). */
    private static final CUdeviceptr ZERO = new CUdeviceptr();
    private final CudaDriverProbe.DeviceInfo info;
    private final int driverVersion;
    private final CUdevice device = new CUdevice();
    private final CUcontext ctx = new CUcontext();
    private final CUmodule module = new CUmodule();
    private final CUstream stream = new CUstream();
    private final Map<Long, CUdeviceptr> live = new ConcurrentHashMap<>();
    private final Map<KernelParams, Pointer> argvPointers = new IdentityHashMap<>();
    private volatile Thread boundThread;
    private boolean closed;

    /** Opens device 0; throws {@link CudaException} saying why when CUDA or the kernels are unavailable. */
    public CudaDevice() {
        CudaDriverProbe.Result r = CudaDriverProbe.probe();
        if (!r.available()) throw new CudaException("CUDA unavailable: " + r.unavailable().get());
        byte[] fatbin = Fatbin.load();
        this.info = r.devices().get(0);
        this.driverVersion = r.driverVersion();
        try {
            JCudaDriver.setExceptionsEnabled(false);
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError: JCuda's natives did not load
            throw new CudaException("JCuda natives failed to load (" + t.getClass().getSimpleName() + ": " + t.getMessage() + ")", t);
        }
        ok(JCudaDriver.cuInit(0), "cuInit");
        ok(JCudaDriver.cuDeviceGet(device, 0), "cuDeviceGet");
        ok(JCudaDriver.cuDevicePrimaryCtxRetain(ctx, device), "cuDevicePrimaryCtxRetain");
        boolean done = false;
        try {
            bind();
            ok(JCudaDriver.cuModuleLoadData(module, fatbin), "cuModuleLoadData(kernels.fatbin) on " + info.name()
                + " (sm_" + info.ccMajor() + info.ccMinor() + ")");
            ok(JCudaDriver.cuStreamCreate(stream, 1 /* CU_STREAM_NON_BLOCKING */), "cuStreamCreate");
            done = true;
        } finally {
            if (!done) JCudaDriver.cuDevicePrimaryCtxRelease(device);
        }
    }

    @Override
    public String name() {
        return "CUDA " + info.name() + " (sm_" + info.ccMajor() + info.ccMinor() + ", driver " + driverVersion / 1000 + "."
            + (driverVersion % 1000) / 10 + ", JCuda)";
    }

    public CudaDriverProbe.DeviceInfo info() { return info; }

    /** Makes the primary context current on the calling thread (once per thread change). */
    private void bind() {
        if (closed) throw new IllegalStateException("CudaDevice is closed");
        Thread t = Thread.currentThread();
        if (boundThread != t) {
            ok(JCudaDriver.cuCtxSetCurrent(ctx), "cuCtxSetCurrent");
            boundThread = t;
        }
    }

    @Override
    public long malloc(long bytes) {
        bind();
        if (bytes <= 0) throw new IllegalArgumentException("malloc of " + bytes + " bytes");
        DevPtr p = new DevPtr();
        ok(JCudaDriver.cuMemAlloc(p, bytes), "cuMemAlloc of " + bytes + " bytes");
        live.put(p.address(), p);
        return p.address();
    }

    @Override
    public void free(long ptr) {
        if (ptr == 0) return;
        CUdeviceptr p = live.remove(ptr);
        if (p == null) throw new CudaException("free of " + Long.toHexString(ptr) + ": not allocated by this device");
        bind();
        ok(JCudaDriver.cuMemFree(p), "cuMemFree");
    }

    /** Live device allocations (tests and leak checks). */
    public int liveAllocations() { return live.size(); }

    @Override
    public void copyToDevice(long dst, MemorySegment src, long bytes) {
        bind();
        if (src.byteSize() < bytes) throw new IllegalArgumentException("copyToDevice: source has " + src.byteSize() + " bytes, asked " + bytes);
        if (!src.isNative()) { // a Java array: stage it in native memory (JCuda copies asynchronously from addresses only)
            try (Arena a = Arena.ofConfined()) {
                copyToDevice(dst, a.allocate(bytes, 64).copyFrom(src.asSlice(0, bytes)), bytes);
            }
            return;
        }
        ok(JCudaDriver.cuMemcpyHtoDAsync(dptr(dst), host(src), bytes, stream), "cuMemcpyHtoDAsync");
        synchronize();
    }

    @Override
    public void copyToHost(MemorySegment dst, long src, long bytes) {
        bind();
        if (dst.byteSize() < bytes) throw new IllegalArgumentException("copyToHost: destination has " + dst.byteSize() + " bytes, asked " + bytes);
        if (!dst.isNative()) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment tmp = a.allocate(bytes, 64);
                copyToHost(tmp, src, bytes);
                dst.asSlice(0, bytes).copyFrom(tmp);
            }
            return;
        }
        ok(JCudaDriver.cuMemcpyDtoHAsync(host(dst), dptr(src), bytes, stream), "cuMemcpyDtoHAsync");
        synchronize();
    }

    @Override
    public void memset(long dst, int value, long bytes) {
        bind();
        ok(JCudaDriver.cuMemsetD8Async(dptr(dst), (byte) value, bytes, stream), "cuMemsetD8Async");
        synchronize();
    }

    @Override
    public MemorySegment hostAlloc(Arena owner, long bytes) {
        bind();
        Pointer p = new Pointer();
        ok(JCudaDriver.cuMemHostAlloc(p, bytes, 0), "cuMemHostAlloc of " + bytes + " bytes");
        long addr = Peek.addressOf(p);
        return MemorySegment.ofAddress(addr).reinterpret(bytes, owner, s -> {
            if (!closed) { bind(); JCudaDriver.cuMemFreeHost(p); }
        });
    }

    @Override
    public Runnable boundCopyToDevice(long dst, MemorySegment src, long bytes) {
        CUdeviceptr d = dptr(dst);
        Pointer h = host(src);
        return () -> {
            bind();
            ok(JCudaDriver.cuMemcpyHtoDAsync(d, h, bytes, stream), "cuMemcpyHtoDAsync");
        };
    }

    @Override
    public Runnable boundCopyToHost(MemorySegment dst, long src, long bytes) {
        CUdeviceptr d = dptr(src);
        Pointer h = host(dst);
        return () -> {
            bind();
            ok(JCudaDriver.cuMemcpyDtoHAsync(h, d, bytes, stream), "cuMemcpyDtoHAsync");
        };
    }

    @Override
    public Kernel kernel(String name) {
        bind();
        CUfunction f = new CUfunction();
        ok(JCudaDriver.cuModuleGetFunction(f, module, name), "cuModuleGetFunction(" + name + ")");
        return new Kernel(name, f);
    }

    @Override
    public void launch(Kernel k, Dim3 grid, Dim3 block, int sharedBytes, KernelParams params) {
        bind();
        if (!(k.handle() instanceof CUfunction f)) throw new IllegalArgumentException("kernel " + k.name() + " is not from a CudaDevice");
        Pointer argv = argvPointers.get(params);
        if (argv == null) argvPointers.put(params, argv = new HostPtr(params.argv().address()));
        int rc = JCudaDriver.cuLaunchKernel(f, grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(), sharedBytes, stream, argv, null);
        if (rc != 0) throw new CudaException("launch of " + k.name() + " grid " + grid + " block " + block + " failed: " + error(rc));
    }

    @Override
    public void synchronize() {
        bind();
        ok(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize (an earlier launch or copy failed)");
    }

    @Override
    public DeviceGraph capture(Runnable launches) {
        bind();
        CUgraph graph = new CUgraph();
        ok(JCudaDriver.cuStreamBeginCapture(stream, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL), "cuStreamBeginCapture");
        try {
            launches.run();
        } catch (RuntimeException | Error e) {
            JCudaDriver.cuStreamEndCapture(stream, graph);
            JCudaDriver.cuGraphDestroy(graph);
            throw e;
        }
        ok(JCudaDriver.cuStreamEndCapture(stream, graph), "cuStreamEndCapture");
        CUgraphExec exec = new CUgraphExec();
        int rc = JCudaDriver.cuGraphInstantiate(exec, graph, 0);
        if (rc != 0) {
            JCudaDriver.cuGraphDestroy(graph);
            throw new CudaException("cuGraphInstantiate failed: " + error(rc));
        }
        return new DeviceGraph() {
            private boolean done;
            @Override public void launch() {
                bind();
                ok(JCudaDriver.cuGraphLaunch(exec, stream), "cuGraphLaunch");
            }
            @Override public void close() {
                if (done || closed) return;
                done = true;
                bind();
                JCudaDriver.cuGraphExecDestroy(exec);
                JCudaDriver.cuGraphDestroy(graph);
            }
        };
    }

    /** Frees every allocation still live, the stream and the module, and releases the primary context. */
    @Override
    public void close() {
        if (closed) return;
        bind();
        JCudaDriver.cuStreamSynchronize(stream);
        for (CUdeviceptr p : live.values()) JCudaDriver.cuMemFree(p);
        live.clear();
        JCudaDriver.cuStreamDestroy(stream);
        JCudaDriver.cuModuleUnload(module);
        JCudaDriver.cuDevicePrimaryCtxRelease(device);
        closed = true;
    }

    private static CUdeviceptr dptr(long address) { return ZERO.withByteOffset(address); }

    /** A JCuda Pointer onto native host memory. */
    private static Pointer host(MemorySegment s) {
        if (!s.isNative()) throw new IllegalArgumentException("a bound copy needs native (ideally pinned) host memory");
        return new HostPtr(s.address());
    }

    private static void ok(int rc, String what) { if (rc != 0) throw new CudaException(what + " failed: " + error(rc)); }

    private static String error(int rc) {
        String[] s = new String[1];
        try {
            JCudaDriver.cuGetErrorString(rc, s);
        } catch (Throwable ignored) { /* the code alone then */ }
        return "CUDA error " + rc + (s[0] != null ? " (" + s[0] + ")" : "");
    }

    /** A CUdeviceptr whose address Java can read (JCuda keeps it in a protected field). */
    private static final class DevPtr extends CUdeviceptr {
        long address() { return getNativePointer(); }
    }

    /** A JCuda Pointer onto a raw host address (a pinned buffer, a KernelParams argv block). */
    private static final class HostPtr extends Pointer {
        HostPtr(long address) { super(address); }
    }

    /** Reads a Pointer's native address (JCuda keeps it protected) through the copy constructor. */
    private static final class Peek extends Pointer {
        Peek(Pointer p) { super(p); }
        static long addressOf(Pointer p) { return new Peek(p).getNativePointer() + new Peek(p).getByteOffset(); }
    }
}
