package jcnn.cli;

import jcnn.compile.Backends;
import jcnn.compile.CompiledModel;
import jcnn.compile.Model;
import jcnn.cuda.CudaException;
import jcnn.cuda.DeviceModel;
import jcnn.graph.Graph;
import jcnn.graph.Weights;

/**
 * {@code --device cpu|emu|cuda}, shared by run, bench and check: the name's check and the model
 * compiled for it. cpu is {@link CompiledModel} on the CPU backend; emu and cuda are
 * {@link DeviceModel} on the CUDA emulator or the GPU (the model owns the device). A device that
 * is not there (no libcuda.so.1, no GPU, kernels not built) is a {@link UserError}: exit 2 with
 * the one-line diagnostic.
 */
final class DeviceOption {
    private DeviceOption() {}

    /** Checks a device name (cpu, emu or cuda) and, for cuda, at once that a GPU and the kernels are there. */
    static String parse(String d) {
        return switch (d) {
            case "cpu", "emu" -> d;
            case "cuda" -> {
                var r = jcnn.cuda.CudaDriverProbe.probe();
                if (!r.available()) throw new UserError("device cuda: CUDA unavailable: " + r.unavailable().get());
                yield d;
            }
            default -> throw new UserError("unknown device '" + d + "' (cpu, emu, cuda)");
        };
    }

    /** Compiles {@code g} for {@code device}; {@code cudaGraphs} applies to cuda. */
    static Model compile(String device, Graph g, Weights w, int threads, boolean cudaGraphs) {
        if (device.equals("cpu")) return CompiledModel.compile(g, w, Backends.cpu(threads));
        try {
            return DeviceModel.open(g, w, device, cudaGraphs);
        } catch (CudaException e) {
            throw new UserError("device " + device + ": " + e.getMessage(), e);
        }
    }

    static Model compile(String device, Graph g, Weights w, int threads) { return compile(device, g, w, threads, true); }
}
