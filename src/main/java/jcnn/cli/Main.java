package jcnn.cli;

import java.io.PrintStream;
import java.util.Arrays;
import jcnn.io.OneLine;

/**
 * The command line: {@code bin/jcnn COMMAND ...}. Each command is a small class; this switch is the
 * whole dispatch. Errors a user can cause exit 2 with one line (control characters escaped); {@code --verbose}
 * adds the stack trace.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command and returns its exit code (0 ok, 1 check failed, 2 bad input or environment). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        String[] rest = Arrays.stream(args).filter(a -> !a.equals("--verbose")).toArray(String[]::new);
        if (rest.length == 0 || rest[0].equals("help") || rest[0].equals("--help")) {
            out.println(USAGE);
            return rest.length == 0 ? 2 : 0;
        }
        String cmd = rest[0];
        String[] a = Arrays.copyOfRange(rest, 1, rest.length);
        try {
            return switch (cmd) {
                case "doctor" -> DoctorCommand.run(a, out);
                case "run" -> RunCommand.run(a, out, err);
                case "bench" -> BenchCommand.run(a, out, err);
                case "zoo" -> ZooCommand.run(a, out);
                case "info" -> InfoCommand.run(a, out);
                case "export" -> ExportCommand.run(a, out, err);
                case "check" -> CheckCommand.run(a, out, err);
                default -> { err.println("jcnn: unknown command '" + cmd + "'\n" + USAGE); yield 2; }
            };
        } catch (UserError e) {
            err.println(OneLine.of("jcnn " + cmd + ": " + e.getMessage()));
            if (verbose) e.printStackTrace(err);
            return 2;
        } catch (RuntimeException e) {
            err.println(OneLine.of("jcnn " + cmd + ": " + e.getClass().getSimpleName() + ": " + e.getMessage()));
            if (verbose) e.printStackTrace(err);
            return 2;
        } catch (OutOfMemoryError | StackOverflowError e) {
            // sizes are checked before allocating, so this means the JVM's heap (-Xmx) is too small for the request
            err.println(OneLine.of("jcnn " + cmd + ": " + e.getClass().getSimpleName() + ": " + e.getMessage()
                + " (try a smaller --batch or --size, or a larger -Xmx)"));
            if (verbose) e.printStackTrace(err);
            return 2;
        }
    }

    static final String USAGE = """
        usage: bin/jcnn COMMAND [options] [--verbose]
          bench   [--nets a,b] [--device cpu|emu|cuda] [--against ort] [--batch N] [--size S] [--threads T] [--iters N] [--budget S]
                  [--out DIR] [--json]             latency of the networks, optionally side by side with ONNX Runtime
                                                   (table; JSON + SVG chart in DIR, default bench/results)
          check   NET|FILE.onnx [--device cpu|emu|cuda] [--size S] [--weights F] [--json]   our output vs ONNX Runtime; exit 1 above tolerance
          export  NET FILE.onnx [--size S] [--weights FILE.safetensors]   ONNX, opset 17, dynamic batch
          info    NET [--json]                     layer table, params, MACs
          run     NET [--device D] [--batch N] [--size S] [--weights F] [--iters N] [--warmup N] [--threads T] [--profile] [--json]
                                                   latency and top-5; --profile: per-layer time table
          zoo                                      every network id with params and MACs
          doctor                                   JDK, vector width, CPU features, CUDA driver/device, kernels
          test                                     the whole test suite (Maven)""";
}
