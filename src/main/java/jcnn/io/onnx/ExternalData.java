package jcnn.io.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Tensor data kept outside the model file (TensorProto.external_data: location relative to the model's
 * directory, optional offset and length). A location that is absolute or climbs out of that directory
 * is refused, so a model cannot make us read arbitrary files.
 */
final class ExternalData {
    private final Path dir;

    ExternalData(Path dir) { this.dir = dir; }

    byte[] read(String tensor, Map<String, String> kv) throws IOException {
        String loc = kv.get("location");
        if (loc == null || loc.isEmpty()) throw new IllegalArgumentException("tensor " + tensor + ": external data without a location");
        if (dir == null) throw new IllegalArgumentException("tensor " + tensor + ": external data needs the model's file path");
        Path base = dir.toAbsolutePath().normalize();
        Path p = base.resolve(loc).normalize();
        if (Path.of(loc).isAbsolute() || !p.startsWith(base)) {
            throw new IllegalArgumentException("tensor " + tensor + ": external data location " + loc + " is outside the model's directory");
        }
        if (!Files.isRegularFile(p)) throw new IllegalArgumentException("tensor " + tensor + ": external data file " + loc + " not found");
        long offset = number(tensor, kv, "offset", 0);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            long length = number(tensor, kv, "length", size - offset);
            if (offset < 0 || length < 0 || offset + length > size) {
                throw new IllegalArgumentException("tensor " + tensor + ": external data [" + offset + ", " + (offset + length)
                    + ") lies outside " + loc + " (" + size + " bytes)");
            }
            if (length > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("tensor " + tensor + ": external data too large");
            ByteBuffer b = ByteBuffer.allocate((int) length);
            while (b.hasRemaining()) {
                if (ch.read(b, offset + b.position()) < 0) throw new IOException(loc + ": unexpected end of file");
            }
            return b.array();
        }
    }

    private static long number(String tensor, Map<String, String> kv, String key, long dflt) {
        String v = kv.get(key);
        if (v == null) return dflt;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tensor " + tensor + ": external data " + key + " \"" + v + "\" is not a number");
        }
    }
}
