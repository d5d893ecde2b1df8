package jcnn.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on the command line, as a table: every case exits 2 with one line on stderr that starts
 * with "jcnn COMMAND: " and names the problem, and no stack trace unless --verbose.
 */
class CliBadInputTest {
    @TempDir Path dir;

    private Path file(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static byte[] safetensors(long headerLength, String header) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[8 + h.length];
        for (int i = 0; i < 8; i++) b[i] = (byte) (headerLength >>> (8 * i));
        System.arraycopy(h, 0, b, 8, h.length);
        return b;
    }

    @Test
    void everyBadInputExits2WithOneLine() throws Exception {
        String pastEnd = file("past_end.safetensors", safetensors(4096, "{}")).toString();
        String dtype = file("dtype.safetensors", safetensors(64,
            String.format("%-64s", "{\"a\":{\"dtype\":\"Q7\",\"shape\":[0],\"data_offsets\":[0,0]}}"))).toString();
        String overlap = file("overlap.safetensors", safetensors(128, String.format("%-128s",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"))).toString();
        String onnx = file("junk.onnx", "not a model".getBytes(StandardCharsets.UTF_8)).toString();
        String[][] table = {
            // args..., then the fragment the message must contain (last element)
            {"run", "mobilenet_v2", "--batch", "0", "--batch must be >= 1, got 0"},
            {"run", "mobilenet_v2", "--batch", "-4", "--batch must be >= 1, got -4"},
            {"run", "mobilenet_v2", "--batch", "x", "--batch needs an integer, got 'x'"},
            {"run", "mobilenet_v2", "--batch", "99999999999", "--batch needs an integer"},
            {"run", "mobilenet_v2", "--size", "32", "--batch", "2147483647", "more than this machine's"},
            {"run", "mobilenet_v2", "--size", "0", "--size must be >= 1, got 0"},
            {"run", "mobilenet_v2", "--size", "-7", "--size must be >= 1, got -7"},
            {"run", "mobilenet_v2", "--size", "200000", "more than this machine's"},
            {"run", "mobilenet_v2", "--size", "2000000000", "too many elements"},
            {"run", "squeezenet1_1", "--size", "8", "size 8 is not possible for squeezenet1_1"},
            {"run", "mobilenet_v2", "--iters", "0", "--iters must be >= 1"},
            {"run", "mobilenet_v2", "--weights", pastEnd, "runs past the end of the file"},
            {"run", "mobilenet_v2", "--weights", dtype, "unknown dtype \"Q7\""},
            {"run", "mobilenet_v2", "--weights", overlap, "overlap"},
            {"run", "mobilenet_v2", "--weights", dir.toString(), "cannot read weights"},
            {"run", "mobilenet\nv2", "unknown network 'mobilenet\\nv2'"},
            {"run", "mobilenet_v2", "--device", "tpu", "unknown device 'tpu'"},
            {"bench", "--nets", "mobilenet_v2", "--batch", "0", "--batch must be >= 1"},
            {"bench", "--nets", "mobilenet_v2", "--size", "-1", "--size must be >= 1"},
            {"info", "mobilenet_v2", "--size", "0", "--size must be a positive integer, got '0'"},
            {"info", "densenet121", "--size", "16", "not"},
            {"export", "mobilenet_v2", dir.resolve("no/such/dir/m.onnx").toString(), "--size", "32", "no"},
            {"check", onnx, "junk.onnx"},
            {"frobnicate", "unknown command 'frobnicate'"},
        };
        for (String[] row : table) {
            String[] args = java.util.Arrays.copyOf(row, row.length - 1);
            String want = row[row.length - 1];
            var r = RunBenchCommandTest.cli(args);
            String what = String.join(" ", args).replace("\n", "\\n");
            assertEquals(2, r.code(), what + ": " + r.err());
            String line = r.err().lines().findFirst().orElse("");
            assertTrue(line.startsWith("jcnn " + args[0].replace("\n", "\\n") + ": ") || line.startsWith("jcnn: "), what + ": " + r.err());
            assertTrue(line.contains(want), what + ": wanted '" + want + "' in: " + r.err());
            if (!args[0].equals("frobnicate")) assertEquals(1, r.err().strip().lines().count(), what + ": one line: " + r.err());
            assertFalse(r.err().contains("\tat "), what + ": no stack trace without --verbose: " + r.err());
        }
        var verbose = RunBenchCommandTest.cli("run", "mobilenet_v2", "--weights", pastEnd, "--verbose");
        assertEquals(2, verbose.code());
        assertTrue(verbose.err().contains("\tat "), "--verbose adds the stack trace: " + verbose.err());
    }
}
