package jcnn.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import jcnn.graph.Weights;
import jcnn.tensor.Shape;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length N, N bytes of
 * UTF-8 JSON ({@code name -> {dtype, shape, data_offsets}} plus an optional {@code __metadata__}
 * map of strings), then the raw little-endian tensor data. Keys are kept exactly as written (PyTorch
 * state-dict names such as "features.0.weight").
 *
 * <p>Load maps the file (no copy into the heap but the final float arrays) and converts F32, F16,
 * BF16 and F64 to float32. Integer tensors (BatchNorm's num_batches_tracked, say) carry nothing an
 * inference needs and are skipped after validation. A scalar (shape []) float tensor becomes shape [1].
 *
 * <p>Errors: a corrupt file (header length past the end, bad JSON, unknown dtype, bad, overlapping
 * or out-of-range offsets, shape/byte-count mismatch, a tensor our Shape cannot hold) throws one
 * IllegalArgumentException whose one-line message starts with the file name; I/O failures throw
 * IOException; a null path NullPointerException. Nothing else: fuzzed with Jazzer
 * ({@code SafetensorsFuzzTest}, 100,000 inputs per test run), where any other exception, a hang or
 * a multi-line message fails the build. Nothing is allocated before the header is validated, and a
 * tensor is read only when its byte range, shape and dtype agree.
 */
public final class Safetensors {
    private Safetensors() {}

    /** The reference implementation's bound: a larger header is treated as corruption, not allocated. */
    static final long MAX_HEADER = 100L << 20;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Every floating-point tensor of the file, in header order. */
    public static Weights load(Path file) throws IOException {
        java.util.Objects.requireNonNull(file, "safetensors path is null");
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena));
        }
    }

    /** Parses a whole safetensors file held in {@code all}; {@code file} only names it in errors (the fuzz test's entry). */
    static Weights read(Path file, MemorySegment all) {
        SafetensorsHeader h = header(file, all);
        MemorySegment data = all.asSlice(8 + headerLength(file, all));
        Weights w = new Weights();
        for (SafetensorsHeader.Entry e : h.entries()) {
            if (!e.dtype().loadable()) continue;
            Shape shape = shape(file, e);
            w.put(e.name(), shape, floats(data.asSlice(e.begin(), e.end() - e.begin()), e));
        }
        return w;
    }

    /** The file's {@code __metadata__} (empty if it has none). */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena)).metadata();
        }
    }

    public static void save(Weights w, Path file) throws IOException { save(w, Map.of(), file); }

    /**
     * Writes every weight as F32 in {@link Weights#keys()} order, with {@code metadata} as
     * {@code __metadata__} when non-empty. Written to a sibling temp file and moved into place, so a
     * failure never leaves a half-written file under the target name.
     */
    public static void save(Weights w, Map<String, String> metadata, Path file) throws IOException {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(Json.quote(SafetensorsHeader.METADATA)).append(":{");
            String sep = "";
            for (var e : metadata.entrySet()) {
                json.append(sep).append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
                sep = ",";
            }
            json.append('}');
        }
        long at = 0;
        for (String k : w.keys()) {
            if (k.equals(SafetensorsHeader.METADATA)) throw new IllegalArgumentException(file + ": a weight may not be named __metadata__");
            long bytes = 4L * w.get(k).length;
            if (json.length() > 1) json.append(',');
            json.append(Json.quote(k)).append(":{\"dtype\":\"F32\",\"shape\":[");
            int[] d = w.shape(k).dims();
            for (int i = 0; i < d.length; i++) json.append(i > 0 ? "," : "").append(d[i]);
            json.append("],\"data_offsets\":[").append(at).append(',').append(at + bytes).append("]}");
            at += bytes;
        }
        json.append('}');
        // pad with spaces (allowed by the format) so the data starts 8-byte aligned, as the reference writer does
        while ((json.toString().getBytes(StandardCharsets.UTF_8).length) % 8 != 0) json.append(' ');
        byte[] head = json.toString().getBytes(StandardCharsets.UTF_8);

        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(head.length).flip();
            writeFully(ch, len);
            writeFully(ch, ByteBuffer.wrap(head));
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (String k : w.keys()) {
                for (float f : w.get(k)) {
                    if (!buf.hasRemaining()) { writeFully(ch, buf.flip()); buf.clear(); }
                    buf.putFloat(f);
                }
            }
            writeFully(ch, buf.flip());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    // ---- reading -------------------------------------------------------------------------------

    private static long headerLength(Path file, MemorySegment all) {
        if (all.byteSize() < 8) throw bad(file, "file of " + all.byteSize() + " bytes is shorter than the 8-byte header length");
        long n = all.get(U64, 0);
        if (n < 0 || n > all.byteSize() - 8) {
            throw bad(file, "header length " + Long.toUnsignedString(n) + " runs past the end of the file (" + all.byteSize() + " bytes)");
        }
        if (n > MAX_HEADER) throw bad(file, "header length " + n + " exceeds the " + MAX_HEADER + "-byte limit");
        return n;
    }

    private static SafetensorsHeader header(Path file, MemorySegment all) {
        long n = headerLength(file, all);
        byte[] bytes = all.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw bad(file, "header is not valid UTF-8");
        }
        try {
            return SafetensorsHeader.parse(json, all.byteSize() - 8 - n);
        } catch (IllegalArgumentException e) {
            throw bad(file, e.getMessage());
        }
    }

    private static Shape shape(Path file, SafetensorsHeader.Entry e) {
        long[] d = e.shape().length == 0 ? new long[] {1} : e.shape();
        if (d.length > 4) throw bad(file, "tensor \"" + e.name() + "\" has rank " + d.length + "; jcnn weights have rank 1 to 4");
        int[] dims = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] <= 0 || d[i] > Integer.MAX_VALUE) {
                throw bad(file, "tensor \"" + e.name() + "\" has shape " + Arrays.toString(e.shape()) + "; jcnn weights need positive dimensions");
            }
            dims[i] = (int) d[i];
        }
        if (e.elements() > Integer.MAX_VALUE - 8) throw bad(file, "tensor \"" + e.name() + "\" is too large for one float array");
        return Shape.of(dims);
    }

    private static float[] floats(MemorySegment s, SafetensorsHeader.Entry e) {
        int n = (int) e.elements();
        float[] out = new float[n];
        switch (e.dtype()) {
            case F32 -> MemorySegment.copy(s, F32, 0, out, 0, n);
            case F16 -> { for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(s.getAtIndex(I16, i)); }
            case BF16 -> { for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat(s.getAtIndex(I16, i) << 16); }
            case F64 -> { for (int i = 0; i < n; i++) out[i] = (float) s.getAtIndex(F64, i); }
            default -> throw new IllegalStateException("not a float dtype: " + e.dtype());
        }
        return out;
    }

    private static IllegalArgumentException bad(Path file, String problem) {
        return new IllegalArgumentException(OneLine.of(file + ": " + problem));
    }
}
