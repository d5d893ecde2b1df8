package jcnn.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks the CUDA driver what is there, through Panama FFM, before anything loads JCuda: so that a
 * machine without a GPU gets a precise reason (no libcuda.so.1, cuInit failed with code N, no
 * device) instead of an UnsatisfiedLinkError from deep inside a native library.
 */
public final class CudaDriverProbe {
    private CudaDriverProbe() {}

    /** One CUDA device as the driver reports it. */
    public record DeviceInfo(int ordinal, String name, int ccMajor, int ccMinor, long totalMemBytes) {
        @Override public String toString() {
            return String.format("#%d %s (sm_%d%d, %.1f GiB)", ordinal, name, ccMajor, ccMinor, totalMemBytes / (1024.0 * 1024 * 1024));
        }
    }

    /** What the probe found: either a driver version and devices, or the reason CUDA is unavailable. */
    public record Result(Optional<String> unavailable, int driverVersion, List<DeviceInfo> devices) {
        public boolean available() { return unavailable.isEmpty(); }
        public String driverVersionString() { return driverVersion / 1000 + "." + (driverVersion % 1000) / 10; }
    }

    private static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
    private static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;

    /** Probes the driver. Never throws for a missing driver or device: the result says why. */
    public static Result probe() {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup cuda;
            try {
                cuda = SymbolLookup.libraryLookup("libcuda.so.1", arena);
            } catch (IllegalArgumentException e) {
                return fail("no libcuda.so.1: the NVIDIA driver is not installed (or not visible to this process)");
            }
            Linker l = Linker.nativeLinker();
            var I = ValueLayout.JAVA_INT;
            var P = ValueLayout.ADDRESS;
            MethodHandle cuInit = fn(l, cuda, "cuInit", FunctionDescriptor.of(I, I));
            MethodHandle version = fn(l, cuda, "cuDriverGetVersion", FunctionDescriptor.of(I, P));
            MethodHandle count = fn(l, cuda, "cuDeviceGetCount", FunctionDescriptor.of(I, P));
            MethodHandle get = fn(l, cuda, "cuDeviceGet", FunctionDescriptor.of(I, P, I));
            MethodHandle name = fn(l, cuda, "cuDeviceGetName", FunctionDescriptor.of(I, P, I, I));
            MethodHandle attr = fn(l, cuda, "cuDeviceGetAttribute", FunctionDescriptor.of(I, P, I, I));
            MethodHandle mem = fn(l, cuda, "cuDeviceTotalMem_v2", FunctionDescriptor.of(I, P, I));

            int rc = (int) cuInit.invokeExact(0);
            if (rc != 0) return fail("cuInit failed with CUDA error " + rc + (rc == 100 ? " (CUDA_ERROR_NO_DEVICE: no GPU)" : ""));
            MemorySegment iv = arena.allocate(I);
            check((int) version.invokeExact(iv), "cuDriverGetVersion");
            int drv = iv.get(I, 0);
            check((int) count.invokeExact(iv), "cuDeviceGetCount");
            int n = iv.get(I, 0);
            if (n == 0) return new Result(Optional.of("the CUDA driver " + drv + " reports no device"), drv, List.of());
            List<DeviceInfo> devs = new ArrayList<>();
            MemorySegment buf = arena.allocate(256);
            MemorySegment lv = arena.allocate(ValueLayout.JAVA_LONG);
            for (int i = 0; i < n; i++) {
                check((int) get.invokeExact(iv, i), "cuDeviceGet");
                int dev = iv.get(I, 0);
                check((int) name.invokeExact(buf, 256, dev), "cuDeviceGetName");
                String nm = buf.getString(0);
                check((int) attr.invokeExact(iv, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev), "cuDeviceGetAttribute");
                int major = iv.get(I, 0);
                check((int) attr.invokeExact(iv, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev), "cuDeviceGetAttribute");
                int minor = iv.get(I, 0);
                check((int) mem.invokeExact(lv, dev), "cuDeviceTotalMem_v2");
                devs.add(new DeviceInfo(i, nm, major, minor, lv.get(ValueLayout.JAVA_LONG, 0)));
            }
            return new Result(Optional.empty(), drv, List.copyOf(devs));
        } catch (ProbeFailure e) {
            return fail(e.getMessage());
        } catch (Throwable t) {
            return fail("CUDA driver probe failed: " + t);
        }
    }

    /**
     * One line for doctor and error messages: "ready: driver V, #0 NAME (sm_XY, M GiB)", or why the
     * cuda device cannot be used (no driver, no device, kernels not built). Loads no JCuda class.
     */
    public static String diagnose() {
        Result r = probe();
        if (!r.available()) return "unavailable: " + r.unavailable().get();
        String dev = "driver " + r.driverVersionString() + ", " + r.devices().get(0);
        if (!Fatbin.available()) return "unusable: " + dev + ", but the CUDA kernels were not built (nvcc missing at build time)";
        return "ready: " + dev + (r.devices().size() > 1 ? " (+" + (r.devices().size() - 1) + " more; device 0 is used)" : "");
    }

    private static Result fail(String why) { return new Result(Optional.of(why), 0, List.of()); }

    private static MethodHandle fn(Linker l, SymbolLookup lib, String sym, FunctionDescriptor d) {
        return l.downcallHandle(lib.find(sym).orElseThrow(() -> new ProbeFailure("libcuda.so.1 lacks " + sym + ": driver too old")), d);
    }

    private static void check(int rc, String what) {
        if (rc != 0) throw new ProbeFailure(what + " failed with CUDA error " + rc);
    }

    private static final class ProbeFailure extends RuntimeException {
        ProbeFailure(String m) { super(m, null, false, false); }
    }
}
