package jcnn.models;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import jcnn.cli.Main;
import org.junit.jupiter.api.Test;

/** The zoo and info commands through Main, as a user runs them. */
class CliTest {
    private record Run(int rc, String out, String err) {}

    private static Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int rc = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void zooListsEveryIdWithItsCounts() {
        Run r = run("zoo");
        assertEquals(0, r.rc(), r.err());
        for (String id : Zoo.ids()) assertTrue(r.out().contains(id), id);
        assertTrue(r.out().contains("7,978,856"), "densenet121's params");
        assertTrue(r.out().contains("568.7 M"), "mobilenet_v1's MACs");
        assertTrue(r.out().contains("res=160") && r.out().contains("g=8"), "the option grids");
        Run j = run("zoo", "--json");
        assertEquals(0, j.rc());
        assertTrue(j.out().startsWith("[{\"id\":\"densenet121\""), j.out().substring(0, 80));
        assertTrue(j.out().contains("\"params\":25028904"), "resnext50_32x4d");
    }

    @Test
    void infoTableAndJson() {
        Run r = run("info", "densenet121");
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().contains("features.denseblock1.denselayer1.conv1") && r.out().contains("total: 7,978,856 params"), r.out());
        Run j = run("info", "shufflenet_v1:g=8", "--json");
        assertEquals(0, j.rc(), j.err());
        assertTrue(j.out().contains("\"params\":2433768,"), j.out().substring(0, 200));
        assertTrue(j.out().contains("\"macs\":"), "macs");
        Run s = run("info", "mobilenet_v2", "--size", "32", "--json");
        assertTrue(s.out().contains("\"input\":[1,3,32,32]"), s.out().substring(0, 120));
    }

    @Test
    void userErrorsAreOneLineExitTwo() {
        for (String[] args : new String[][] {{"info", "resnet9000"}, {"info", "squeezenet1_0", "--size", "16"},
                                             {"info", "mobilenet_v1:width=0.3"}, {"info"}, {"info", "mobilenet_v2", "--size", "x"}}) {
            Run r = run(args);
            assertEquals(2, r.rc(), String.join(" ", args));
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("jcnn info: "), r.err());
        }
        assertTrue(run("info", "resnet9000").err().contains("densenet121"), "lists the valid ids");
        assertTrue(run("info", "squeezenet1_0", "--size", "16").err().contains("features.6"), "names the layer");
    }
}
