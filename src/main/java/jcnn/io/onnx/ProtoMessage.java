package jcnn.io.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Builds one protobuf message on the wire format with {@link CodedOutputStream}. Nested messages are
 * built bottom-up and embedded as length-delimited bytes, which is all the ONNX writer needs.
 */
final class ProtoMessage {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes, 1 << 12);

    ProtoMessage int64(int field, long v) {
        try { out.writeInt64(field, v); } catch (IOException e) { throw new UncheckedIOException(e); }
        return this;
    }

    ProtoMessage float32(int field, float v) {
        try { out.writeFloat(field, v); } catch (IOException e) { throw new UncheckedIOException(e); }
        return this;
    }

    ProtoMessage string(int field, String v) {
        return bytes(field, v.getBytes(StandardCharsets.UTF_8));
    }

    ProtoMessage bytes(int field, byte[] v) {
        try { out.writeByteArray(field, v); } catch (IOException e) { throw new UncheckedIOException(e); }
        return this;
    }

    ProtoMessage message(int field, ProtoMessage m) { return bytes(field, m.toByteArray()); }

    /** A repeated int64 written unpacked, as proto2 declares ONNX's dims and ints. */
    ProtoMessage int64s(int field, long[] v) {
        for (long x : v) int64(field, x);
        return this;
    }

    /** A repeated float written packed (float_data is declared [packed = true]). */
    ProtoMessage packedFloats(int field, float[] v) {
        try {
            out.writeTag(field, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(4 * v.length);
            for (float f : v) out.writeFloatNoTag(f);
        } catch (IOException e) { throw new UncheckedIOException(e); }
        return this;
    }

    byte[] toByteArray() {
        try { out.flush(); } catch (IOException e) { throw new UncheckedIOException(e); }
        return bytes.toByteArray();
    }
}
