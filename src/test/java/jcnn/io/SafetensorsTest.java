package jcnn.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import jcnn.graph.Weights;
import jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Safetensors against files this test writes byte by byte from the format description (so a
 * misunderstanding shared by our reader and writer cannot hide), plus the round trip and every kind
 * of corruption the reader must name.
 */
class SafetensorsTest {
    @TempDir Path dir;

    // ---- an independent writer: little-endian by hand ------------------------------------------

    private static void u64(ByteArrayOutputStream o, long v) { for (int i = 0; i < 8; i++) o.write((int) (v >>> (8 * i))); }
    private static void f32(ByteArrayOutputStream o, float f) { int b = Float.floatToRawIntBits(f); for (int i = 0; i < 4; i++) o.write(b >>> (8 * i)); }
    private static void u16(ByteArrayOutputStream o, int v) { o.write(v); o.write(v >>> 8); }

    private Path file(String header, byte[] data) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        u64(o, h.length);
        o.writeBytes(h);
        o.writeBytes(data);
        Path p = dir.resolve("t" + System.nanoTime() + ".safetensors");
        Files.write(p, o.toByteArray());
        return p;
    }

    @Test
    void readsAHandWrittenFile() throws IOException {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        for (int i = 0; i < 6; i++) f32(d, i * 0.5f - 1f);         // "conv.weight" F32 [2,3]: bytes 0..24
        u16(d, 0x3C00); u16(d, 0xC000);                             // "bn.weight" F16 [2] = 1, -2: 24..28
        u16(d, 0x3F80); u16(d, 0x4040);                             // "bn.bias" BF16 [2] = 1, 3: 28..32
        for (int i = 0; i < 8; i++) d.write(i == 0 ? 7 : 0);        // "bn.num_batches_tracked" I64 []: 32..40
        String h = "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"bn.bias\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[28,32]},"
            + " \"conv.weight\" : {\"shape\":[2,3],\"dtype\":\"F32\",\"data_offsets\":[0,24]},"
            + "\"bn.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[32,40]},"
            + "\"bn.weight\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[24,28]}}   ";
        Path p = file(h, d.toByteArray());
        Weights w = Safetensors.load(p);
        assertEquals(java.util.List.of("bn.bias", "conv.weight", "bn.weight"), java.util.List.copyOf(w.keys()));
        assertEquals(Shape.of(2, 3), w.shape("conv.weight"));
        assertArrayEquals(new float[] {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f}, w.get("conv.weight"));
        assertArrayEquals(new float[] {1f, -2f}, w.get("bn.weight"));
        assertArrayEquals(new float[] {1f, 3f}, w.get("bn.bias"));
        assertEquals(Map.of("format", "pt"), Safetensors.metadata(p));
    }

    @Test
    void roundTripKeepsKeysShapesAndBitsAndIsReadableByHand() throws IOException {
        Weights w = new Weights();
        w.put("features.0.weight", Shape.of(4, 3, 3, 3), ramp(108, 0.01f));
        w.put("features.1.running_var", Shape.of(4), new float[] {1f, Float.MIN_VALUE, -0f, 3.4e38f});
        w.put("classifier.weight", Shape.of(10, 4), ramp(40, -0.3f));
        Path p = dir.resolve("rt.safetensors");
        Safetensors.save(w, Map.of("producer", "jcnn \"test\""), p);
        Weights r = Safetensors.load(p);
        assertEquals(java.util.List.copyOf(w.keys()), java.util.List.copyOf(r.keys()));
        for (String k : w.keys()) {
            assertEquals(w.shape(k), r.shape(k), k);
            assertArrayEquals(w.get(k), r.get(k), k);
        }
        assertEquals(Map.of("producer", "jcnn \"test\""), Safetensors.metadata(p));
        // the layout itself, checked by hand: header length, 8-byte aligned data, first float little-endian
        byte[] b = Files.readAllBytes(p);
        long n = 0;
        for (int i = 7; i >= 0; i--) n = (n << 8) | (b[i] & 0xFF);
        assertEquals(0, (8 + n) % 8);
        int first = (b[(int) (8 + n)] & 0xFF) | (b[(int) (9 + n)] & 0xFF) << 8 | (b[(int) (10 + n)] & 0xFF) << 16 | (b[(int) (11 + n)] & 0xFF) << 24;
        assertEquals(Float.floatToRawIntBits(w.get("features.0.weight")[0]), first);
        assertEquals(8 + n + 4L * (108 + 4 + 40), b.length);
    }

    private static float[] ramp(int n, float step) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i * step - 0.5f;
        return v;
    }

    // ---- corruption ----------------------------------------------------------------------------

    private static final String OK_ENTRY = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad JSON                 | {\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}          | bad JSON",
        "trailing garbage         | {" + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}x       | after the value",
        "not an object            | [1,2]                                                                   | does not start with '{'",
        "unknown dtype            | {\"a\":{\"dtype\":\"F31\",\"shape\":[2],\"data_offsets\":[0,8]}}          | unknown dtype",
        "negative offset          | {\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}         | negative data offset",
        "end before begin         | {\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}          | before begin",
        "offset past end          | {\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}         | run past the data area",
        "shape/bytes mismatch     | {\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}          | needs 12 bytes",
        "overlap                  | {\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}} | overlap",
        "gap                      | {\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}          | gap",
        "missing field            | {\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}                       | shape missing",
        "extra field              | {\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}  | unexpected field",
        "duplicate key            | {\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{}}   | duplicate key",
        "non-integer shape        | {\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}        | non-integer",
        "metadata not strings     | {\"__metadata__\":{\"k\":1}," + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}} | not a string",
        "rank 5                   | {\"a\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,2],\"data_offsets\":[0,8]}}  | rank 5",
    })
    void corruptHeadersAreRejectedWithTheFileAndTheProblem(String what, String header, String expected) throws IOException {
        Path p = file(header, new byte[8]);
        var e = assertThrows(IllegalArgumentException.class, () -> Safetensors.load(p), what);
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        u64(o, 1000);
        o.writeBytes("{}".getBytes(StandardCharsets.US_ASCII));
        Path p = dir.resolve("long.safetensors");
        Files.write(p, o.toByteArray());
        var e = assertThrows(IllegalArgumentException.class, () -> Safetensors.load(p));
        assertTrue(e.getMessage().contains("runs past the end of the file"), e.getMessage());
        o.reset();
        u64(o, -1L);  // 2^64-1 as unsigned
        Files.write(p, o.toByteArray());
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.load(p));
        assertTrue(e.getMessage().contains("18446744073709551615"), e.getMessage());
    }

    @Test
    void truncatedFiles() throws IOException {
        Path ok = file("{" + OK_ENTRY + "}", new byte[8]);
        byte[] b = Files.readAllBytes(ok);
        for (int cut : new int[] {0, 3, 8, 20, b.length - 1}) {
            Path p = dir.resolve("cut" + cut + ".safetensors");
            Files.write(p, java.util.Arrays.copyOf(b, cut));
            var e = assertThrows(IllegalArgumentException.class, () -> Safetensors.load(p), "cut at " + cut);
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        }
    }

    @Test
    void invalidUtf8Header() throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        u64(o, 4);
        o.writeBytes(new byte[] {'{', (byte) 0xC3, '}', ' '});
        Path p = dir.resolve("utf.safetensors");
        Files.write(p, o.toByteArray());
        var e = assertThrows(IllegalArgumentException.class, () -> Safetensors.load(p));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void missingFileIsAnIOException() {
        assertThrows(IOException.class, () -> Safetensors.load(dir.resolve("nope.safetensors")));
    }

    @Test
    void emptyFileOfNoTensors() throws IOException {
        Path p = file("{}      ", new byte[0]);
        assertTrue(Safetensors.load(p).keys().isEmpty());
        Path q = dir.resolve("empty.safetensors");
        Safetensors.save(new Weights(), q);
        assertTrue(Safetensors.load(q).keys().isEmpty());
    }
}
