package jcnn.cuda;

import java.io.IOException;
import java.io.InputStream;

/**
 * The nvcc-built kernels (native/build.sh: SASS sm_80/86/89/90 + PTX compute_90 in one fatbin), a
 * classpath resource for the driver-API backend to hand to cuModuleLoadData.
 */
public final class Fatbin {
    public static final String RESOURCE = "jcnn/cuda/kernels.fatbin";

    private Fatbin() {}

    /** True when the build had nvcc and produced the fatbin. */
    public static boolean available() { return Fatbin.class.getClassLoader().getResource(RESOURCE) != null; }

    /** The fatbin's bytes; throws {@link CudaException} saying why when it was not built. */
    public static byte[] load() {
        try (InputStream in = Fatbin.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                String why = "nvcc not found when the project was built";
                try (InputStream m = Fatbin.class.getClassLoader().getResourceAsStream(RESOURCE + ".missing")) {
                    if (m != null) why = new String(m.readAllBytes()).strip();
                }
                throw new CudaException("CUDA kernels not built (" + why + "): install the CUDA toolkit and rebuild");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new CudaException("cannot read " + RESOURCE, e);
        }
    }
}
