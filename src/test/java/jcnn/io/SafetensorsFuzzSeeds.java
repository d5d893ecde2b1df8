package jcnn.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import jcnn.graph.Weights;
import jcnn.tensor.Shape;

/**
 * Writes the seed corpus of {@link SafetensorsFuzzTest} (src/test/resources/jcnn/io/SafetensorsFuzzTestInputs/fuzz):
 * a file of our writer with metadata, and a hand-written one with F16, BF16, F64 and I64 tensors.
 * Run once with the test classpath: {@code java -cp target/classes:target/test-classes jcnn.io.SafetensorsFuzzSeeds src/test/resources}.
 */
public final class SafetensorsFuzzSeeds {
    private SafetensorsFuzzSeeds() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0], "jcnn/io/SafetensorsFuzzTestInputs/fuzz");
        Files.createDirectories(dir);
        Weights w = new Weights();
        w.put("features.0.weight", Shape.of(2, 1, 2, 2), new float[] {1, -2, 3.5f, 0, 0.25f, -0f, 7, 8});
        w.put("features.1.bias", Shape.of(2), new float[] {0.5f, -1});
        Safetensors.save(w, Map.of("format", "pt"), dir.resolve("written.safetensors"));

        ByteArrayOutputStream d = new ByteArrayOutputStream();
        d.writeBytes(new byte[] {0x00, 0x3C, 0x00, (byte) 0xC0});                 // F16 [2]: 1, -2        bytes 0..4
        d.writeBytes(new byte[] {(byte) 0x80, 0x3F, 0x40, 0x40});                 // BF16 [2]: 1, 3        4..8
        d.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F});           // F64 []: 1.0           8..16
        d.writeBytes(new byte[] {7, 0, 0, 0, 0, 0, 0, 0});                        // I64 []: 7             16..24
        String h = "{\"__metadata__\":{\"k\":\"v\"},\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[4,8]},"
            + "\"d\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[8,16]},"
            + "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[16,24]}}";
        byte[] hb = h.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        for (int i = 0; i < 8; i++) f.write((int) ((long) hb.length >>> (8 * i)));
        f.writeBytes(hb);
        f.writeBytes(d.toByteArray());
        Files.write(dir.resolve("dtypes.safetensors"), f.toByteArray());
    }
}
