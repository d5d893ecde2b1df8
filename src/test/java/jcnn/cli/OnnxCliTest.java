package jcnn.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import jcnn.graph.Graph;
import jcnn.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export and check end to end through Main, exit codes included. */
class OnnxCliTest {
    @TempDir Path dir;

    record Run(int rc, String out, String err) {}

    static Run run(String... args) {
        var o = new ByteArrayOutputStream();
        var e = new ByteArrayOutputStream();
        int rc = Main.run(args, new PrintStream(o, true), new PrintStream(e, true));
        return new Run(rc, o.toString(), e.toString());
    }

    @Test
    void exportThenCheckTheFileAndTheNet() {
        Path f = dir.resolve("sq.onnx");
        Run ex = run("export", "squeezenet1_1", f.toString(), "--size", "48");
        assertEquals(0, ex.rc(), ex.err());
        assertTrue(Files.exists(f));
        Run c = run("check", f.toString(), "--json");
        assertEquals(0, c.rc(), c.err());
        assertTrue(c.out().contains("\"pass\":true"), c.out());
        Run n = run("check", "shufflenet_v2_x1_0", "--size", "40");
        assertEquals(0, n.rc(), n.err());
        assertTrue(n.out().contains("PASS"), n.out());
    }

    /** run FILE.onnx: the imported model runs with its own weights and gives the zoo net's top-5. */
    @Test
    void runAnExportedFile() {
        Path f = dir.resolve("sq.onnx");
        assertEquals(0, run("export", "squeezenet1_1", f.toString(), "--size", "48").rc());
        Run file = run("run", f.toString(), "--iters", "2", "--json");
        assertEquals(0, file.rc(), file.err());
        Run net = run("run", "squeezenet1_1", "--size", "48", "--iters", "2", "--json");
        assertEquals(0, net.rc(), net.err());
        assertEquals(top5(net.out()), top5(file.out()), file.out());
        assertTrue(file.out().contains("\"net\":\"sq.onnx\"") && file.out().contains("\"size\":48"), file.out());
        Run b2 = run("run", f.toString(), "--iters", "1", "--batch", "2", "--json");
        assertEquals(0, b2.rc(), b2.err());
        assertTrue(b2.out().contains("\"batch\":2"), b2.out());
        Run bad = run("run", f.toString(), "--weights", dir.resolve("w.safetensors").toString());
        assertEquals(2, bad.rc(), bad.err());
        assertTrue(bad.err().contains("--weights does not apply to an ONNX file"), bad.err());
    }

    private static String top5(String json) {
        int i = json.indexOf("\"top5\"");
        return json.substring(i, json.indexOf(']', i) + 1);
    }

    @Test
    void exportWithSafetensorsWeights() throws Exception {
        Graph g = OnnxCli.build("squeezenet1_1", 48);
        Path w = dir.resolve("w.safetensors");
        Safetensors.save(jcnn.models.Init.init(g, 7), w);
        Path f = dir.resolve("sq.onnx");
        assertEquals(0, run("export", "squeezenet1_1", f.toString(), "--size", "48", "--weights", w.toString()).rc());
        assertEquals(0, run("check", "squeezenet1_1", "--size", "48", "--weights", w.toString()).rc());
    }

    @Test
    void badInputsExitTwoWithOneLine() throws Exception {
        Path bad = dir.resolve("bad.onnx");
        Files.write(bad, new byte[] {10, 50, 1});
        for (String[] args : new String[][] {{"check", bad.toString()}, {"check", dir.resolve("missing.onnx").toString()},
                {"export", "nosuchnet", "x.onnx"}, {"export", "squeezenet1_1"}, {"check", "squeezenet1_1", "--size", "-3"},
                {"check", "squeezenet1_1", "--frobnicate"}, {"run", bad.toString()}, {"run", dir.resolve("missing.onnx").toString()}}) {
            Run r = run(args);
            assertEquals(2, r.rc(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
