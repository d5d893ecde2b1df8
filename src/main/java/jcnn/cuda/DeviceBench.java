package jcnn.cuda;

import java.util.Arrays;
import java.util.List;
import jcnn.graph.Graph;
import jcnn.graph.Weights;
import jcnn.models.Zoo;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * The jcnn side of bench/gpu/run.sh: end-to-end latency of every default network on one device,
 * per batch size, with the forward replayed from a CUDA graph ("graph") and launched node by node
 * ("eager"). One timed run = {@link DeviceModel#run(Tensor, Tensor)}: host input into the pinned
 * buffer, one copy in, the forward, one copy out, one synchronisation, output out of the pinned
 * buffer (the work torch_peer.py times too). Prints one JSON object per (net, batch, mode), in
 * torch_peer.py's format with "peer": "jcnn".
 *
 * <p>{@code java ... jcnn.cuda.DeviceBench [--device cuda|emu] [--nets a,b] [--batches 1,8]
 * [--runs 200] [--warmup 30] [--size 224]}. Weights are jcnn.models.Init(seed 42); the input a
 * fixed pattern (latency does not depend on values).
 */
public final class DeviceBench {
    private DeviceBench() {}

    static final List<String> NETS = List.of("densenet121", "resnext50_32x4d", "squeezenet1_1", "mobilenet_v1",
        "mobilenet_v2", "shufflenet_v1", "shufflenet_v2_x1_0");

    public static void main(String[] args) {
        String device = "cuda", nets = String.join(",", NETS), batches = "1,8";
        int runs = 200, warmup = 30, size = 224;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--device" -> device = args[i + 1];
                case "--nets" -> nets = args[i + 1];
                case "--batches" -> batches = args[i + 1];
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--size" -> size = Integer.parseInt(args[i + 1]);
                default -> { System.err.println("DeviceBench: unknown option " + args[i]); System.exit(2); }
            }
        }
        Device dev;
        try {
            dev = device.equals("emu") ? new EmuDevice() : new CudaDevice();
        } catch (CudaException e) {
            System.err.println("DeviceBench: device " + device + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        System.err.println("# jcnn on " + dev.name());
        try (dev) {
            for (String net : nets.split(",")) {
                for (String b : batches.split(",")) {
                    int batch = Integer.parseInt(b.trim());
                    Graph g = Zoo.build(net, Shape.nchw(batch, 3, size, size));
                    Weights w = jcnn.models.Init.init(g, 42);
                    for (boolean graphs : new boolean[] {false, true}) {
                        System.out.println(time(dev, device, net, g, w, batch, size, graphs, runs, warmup));
                        System.out.flush();
                    }
                }
            }
        }
    }

    static String time(Device dev, String device, String net, Graph g, Weights w, int batch, int size, boolean graphs, int runs, int warmup) {
        try (DeviceModel m = DeviceModel.compile(g, w, dev, graphs);
             Tensor in = Tensor.allocate(g.inputShape());
             Tensor out = Tensor.allocate(m.outputShape(batch))) {
            for (long i = 0; i < in.shape().size(); i++) in.set(i, (float) Math.sin(0.37 * i));
            for (int i = 0; i < warmup; i++) m.run(in, out);
            long[] ns = new long[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                m.run(in, out);
                ns[i] = System.nanoTime() - t0;
            }
            Arrays.sort(ns);
            double p50 = ns[(int) Math.round(0.5 * (runs - 1))] / 1e6, p99 = ns[(int) Math.round(0.99 * (runs - 1))] / 1e6;
            return String.format("{\"peer\": \"jcnn\", \"device\": \"%s\", \"net\": \"%s\", \"batch\": %d, \"mode\": \"%s\", \"size\": %d, "
                + "\"p50_ms\": %.4f, \"p99_ms\": %.4f, \"runs\": %d, \"launches\": %d, \"graph\": %b}", device, net, batch,
                graphs ? "graph" : "eager", size, p50, p99, runs, m.plan(batch).steps(), m.plan(batch).usesGraph());
        }
    }
}
