package jcnn.compile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import jcnn.graph.Graph;
import jcnn.graph.Node;
import jcnn.ops.Concat;
import jcnn.tensor.NativeMemory;
import jcnn.tensor.Tensor;

/**
 * A compiled graph bound to memory for one input shape: a list of steps, each a fused op with its
 * input/output views (into one arena, see {@link MemoryPlan}) and prepared weights. {@link #run}
 * copies the input into the arena, runs the steps in order and copies the output out; it allocates
 * nothing. Not thread-safe by itself: {@link CompiledModel} serialises runs.
 */
public final class Plan implements AutoCloseable {
    private final Graph graph;
    private final MemoryPlan mem;
    private final Arena arena;
    private final MemorySegment activations;
    private final Step[] steps;
    private final String[] stepNames;
    private final Tensor input, output;

    private Plan(Graph graph, MemoryPlan mem, Arena arena, MemorySegment activations, List<Step> steps,
                 List<String> names, Tensor input, Tensor output) {
        this.graph = graph;
        this.mem = mem;
        this.arena = arena;
        this.activations = activations;
        this.steps = steps.toArray(Step[]::new);
        this.stepNames = names.toArray(String[]::new);
        this.input = input;
        this.output = output;
    }

    /** Plans {@code g} (a compiled graph at its input shape) on {@code backend}. */
    public static Plan build(Graph g, Backend backend, NativeWeights w) {
        MemoryPlan mem = new MemoryPlan(g);
        NativeMemory.requireFits(mem.peakBytes(), g.name() + " at input " + g.inputShape() + ": the activation arena");
        Arena arena = NativeMemory.ofShared();
        try {
            MemorySegment seg = arena.allocate(Math.max(Tensor.ALIGN, mem.peakBytes()), Tensor.ALIGN);
            int n = g.nodes().size();
            Tensor[] val = new Tensor[n];
            for (int i = 0; i < n; i++) val[i] = mem.tensor(seg, i);
            Tensor in = mem.tensor(seg, Graph.INPUT);
            List<Step> steps = new ArrayList<>();
            List<String> names = new ArrayList<>();
            Scratch scratch = new Scratch();
            for (Node node : g.nodes()) {
                if (mem.isView(node.id())) continue;
                Tensor[] ins = new Tensor[node.arity()];
                for (int k = 0; k < ins.length; k++) ins[k] = node.input(k) == Graph.INPUT ? in : val[node.input(k)];
                Tensor out = val[node.id()];
                steps.add(node.op() instanceof Concat ? concatCopies(mem, node, ins, out) : backend.step(node, ins, out, w, scratch));
                names.add(node.name() + " " + node.op().kind());
            }
            scratch.allocate(arena);
            return new Plan(g, mem, arena, seg, steps, names, in, val[g.outputId()]);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** The concat inputs whose producers could not write in place, copied into their slots. */
    private static Step concatCopies(MemoryPlan mem, Node node, Tensor[] ins, Tensor out) {
        List<Tensor> src = new ArrayList<>(), dst = new ArrayList<>();
        int o = 0;
        for (int k = 0; k < ins.length; k++) {
            if (!mem.inPlace(node.id(), k)) {
                src.add(ins[k]);
                dst.add(out.channelSlice(o, ins[k].c()));
            }
            o += ins[k].c();
        }
        Tensor[] s = src.toArray(Tensor[]::new), d = dst.toArray(Tensor[]::new);
        return () -> {
            for (int i = 0; i < s.length; i++) d[i].copyFrom(s[i]);
        };
    }

    /** One inference: {@code in} (the planned input shape) to {@code out} (the output shape). */
    public void run(Tensor in, Tensor out) {
        input.copyFrom(in);
        for (Step s : steps) s.run();
        out.copyFrom(output);
    }

    /** Runs step {@code i} alone (profiling and tests; the arena must hold its inputs). */
    public void runStep(int i) { steps[i].run(); }

    /** Fills the whole arena with NaN (tests: an element no step writes then shows up). */
    public void poison() { activations.fill((byte) 0xFF); }

    public Graph graph() { return graph; }
    public MemoryPlan memory() { return mem; }
    /** Bytes of the activation arena. */
    public long arenaBytes() { return mem.peakBytes(); }
    public int steps() { return steps.length; }
    public List<String> stepNames() { return List.of(stepNames); }

    @Override
    public void close() { if (arena.scope().isAlive()) arena.close(); }
}
