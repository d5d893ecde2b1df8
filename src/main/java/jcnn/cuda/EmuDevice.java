package jcnn.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ConcurrentHashMap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The CUDA emulator as a {@link Device}: kernels/*.cu compiled by g++ against native/emu into
 * libjcnn_emu.so, reached through FFM downcalls. Slow (a block's threads are OS threads), exact in
 * what matters for correctness (barriers, shuffles, shared memory), and it checks more than a GPU:
 * every pointer argument must lie in device memory, and guard zones around each buffer turn an
 * out-of-bounds write into a failed launch.
 *
 * <p>The library is found at {@code -Djcnn.emu.lib=PATH}, else as the classpath resource
 * {@code jcnn/cuda/libjcnn_emu.so} (put there by native/build.sh during the Maven build).
 */
public final class EmuDevice implements Device {
    public static final String RESOURCE = "jcnn/cuda/libjcnn_emu.so";

    private static final class Lib {
        static final MethodHandle FUNCTION, LAUNCH, LAST_ERROR, MALLOC, FREE, HTOD, DTOH, MEMSET, IS_ASAN;
        static {
            Linker linker = Linker.nativeLinker();
            SymbolLookup lib = SymbolLookup.libraryLookup(locate(), Arena.global());
            FUNCTION = h(linker, lib, "emu_function", FunctionDescriptor.of(ADDRESS, ADDRESS));
            LAUNCH = h(linker, lib, "emu_launch", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
            LAST_ERROR = h(linker, lib, "emu_last_error", FunctionDescriptor.of(ADDRESS));
            MALLOC = h(linker, lib, "emu_malloc", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
            FREE = h(linker, lib, "emu_free", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
            // critical + heap access: copies straight from/to Java arrays without staging
            HTOD = linker.downcallHandle(lib.find("emu_memcpy_htod").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG), Linker.Option.critical(true));
            DTOH = linker.downcallHandle(lib.find("emu_memcpy_dtoh").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), Linker.Option.critical(true));
            MEMSET = h(linker, lib, "emu_memset", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG));
            IS_ASAN = h(linker, lib, "emu_is_asan", FunctionDescriptor.of(JAVA_INT));
        }

        private static MethodHandle h(Linker l, SymbolLookup lib, String name, FunctionDescriptor d) {
            return l.downcallHandle(lib.find(name).orElseThrow(() -> new CudaException("libjcnn_emu.so lacks symbol " + name)), d);
        }
    }

    private final java.util.Map<Long, Long> live = new ConcurrentHashMap<>(); // pointer -> bytes
    private volatile boolean closed;

    /** Loads the emulator library (once per JVM); throws {@link CudaException} naming what is missing. */
    public EmuDevice() {
        try {
            Lib.FUNCTION.type(); // forces the library load here, with a clear error
        } catch (ExceptionInInitializerError e) {
            throw new CudaException(e.getCause().getMessage(), e.getCause());
        } catch (NoClassDefFoundError e) {
            throw new CudaException("CUDA emulator library failed to load earlier in this JVM", e);
        }
    }

    static Path locate() {
        String prop = System.getProperty("jcnn.emu.lib");
        if (prop != null) {
            Path p = Path.of(prop);
            if (!Files.isRegularFile(p)) throw new CudaException("-Djcnn.emu.lib=" + prop + ": no such file");
            return p;
        }
        URL url = EmuDevice.class.getClassLoader().getResource(RESOURCE);
        if (url == null) {
            throw new CudaException("CUDA emulator not built: classpath resource " + RESOURCE + " is missing; build it with "
                + "native/build.sh (needs g++; Maven runs it in generate-resources)");
        }
        try {
            if (url.getProtocol().equals("file")) return Path.of(url.toURI());
            Path tmp = Files.createTempFile("libjcnn_emu", ".so"); // inside a jar: the loader needs a file
            tmp.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) { Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING); }
            return tmp;
        } catch (IOException | java.net.URISyntaxException e) {
            throw new CudaException("cannot extract " + RESOURCE + " from " + url, e);
        }
    }

    @Override public String name() { return "CUDA emulator (g++, libjcnn_emu.so" + (isAsan() ? ", ASan" : ", guard zones") + ")"; }

    /** True when the loaded library was built with AddressSanitizer (redzones instead of guard zones). */
    public boolean isAsan() { return (int) call(Lib.IS_ASAN) != 0; }

    @Override
    public long malloc(long bytes) {
        open();
        if (bytes <= 0) throw new IllegalArgumentException("malloc of " + bytes + " bytes");
        long p = (long) call(Lib.MALLOC, bytes);
        if (p == 0) throw new CudaException(lastError());
        live.put(p, bytes);
        return p;
    }

    @Override
    public void free(long ptr) {
        if (ptr == 0) return;
        if (live.remove(ptr) == null) throw new CudaException("free of " + Long.toHexString(ptr) + ": not allocated by this device");
        ok((int) call(Lib.FREE, ptr), "free");
    }

    @Override
    public void copyToDevice(long dst, MemorySegment src, long bytes) {
        open();
        if (src.byteSize() < bytes) throw new IllegalArgumentException("copyToDevice: source has " + src.byteSize() + " bytes, asked " + bytes);
        ok((int) call(Lib.HTOD, dst, src, bytes), "copyToDevice");
    }

    @Override
    public void copyToHost(MemorySegment dst, long src, long bytes) {
        open();
        if (dst.byteSize() < bytes) throw new IllegalArgumentException("copyToHost: destination has " + dst.byteSize() + " bytes, asked " + bytes);
        if (dst.isReadOnly()) throw new IllegalArgumentException("copyToHost: destination is read-only");
        ok((int) call(Lib.DTOH, dst, src, bytes), "copyToHost");
    }

    @Override
    public void memset(long dst, int value, long bytes) {
        open();
        ok((int) call(Lib.MEMSET, dst, value, bytes), "memset");
    }

    @Override
    public Kernel kernel(String name) {
        open();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = (MemorySegment) call(Lib.FUNCTION, a.allocateFrom(name));
            if (h.address() == 0) throw new CudaException("kernel " + name + ": " + lastError());
            return new Kernel(name, h);
        }
    }

    @Override
    public void launch(Kernel k, Dim3 grid, Dim3 block, int sharedBytes, KernelParams params) {
        open();
        if (!(k.handle() instanceof MemorySegment h)) throw new IllegalArgumentException("kernel " + k.name() + " is not from an EmuDevice");
        int rc;
        try { // invokeExact: no boxing on the launch path
            rc = (int) Lib.LAUNCH.invokeExact(h, grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(), sharedBytes, params.argv());
        } catch (Throwable t) {
            throw new CudaException("emu_launch of " + k.name() + " failed", t);
        }
        if (rc != 0) throw new CudaException("launch of " + k.name() + " grid " + grid + " block " + block + " failed: " + lastError());
    }

    /** Device allocations not yet freed (tests: a closed model leaves none behind). */
    public int liveAllocations() { return live.size(); }

    /** Bytes held by those allocations. */
    public long liveBytes() {
        long b = 0;
        for (long v : live.values()) b += v;
        return b;
    }

    @Override public void synchronize() { open(); } // launches complete before emu_launch returns

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Long p : live.keySet()) call(Lib.FREE, p);
        live.clear();
    }

    private void open() { if (closed) throw new IllegalStateException("EmuDevice is closed"); }

    private static String lastError() {
        MemorySegment s = (MemorySegment) call(Lib.LAST_ERROR);
        return s.reinterpret(Long.MAX_VALUE).getString(0);
    }

    private static void ok(int rc, String what) { if (rc != 0) throw new CudaException(what + ": " + lastError()); }

    private static Object call(MethodHandle h, Object... args) {
        try {
            return h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException("emulator call failed", t);
        }
    }
}
