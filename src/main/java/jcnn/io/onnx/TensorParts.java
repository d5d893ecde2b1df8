package jcnn.io.onnx;

import static jcnn.io.onnx.OnnxProto.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.io.onnx.OnnxModel.Tensor;

/** The fields of one TensorProto as read, and their decoding into an {@link OnnxModel.Tensor}. */
final class TensorParts {
    String name = "";
    int type;
    int location;
    /** raw_data as a view of the model bytes (the reader aliases, so no copy until decoding). */
    ByteBuffer raw;
    final List<Long> dims = new ArrayList<>();
    /** float_data, unboxed: a model may carry all its weights here. */
    float[] floatData = new float[0];
    int floatCount;
    final List<Long> intData = new ArrayList<>();
    final List<Double> doubleData = new ArrayList<>();
    final Map<String, String> external = new LinkedHashMap<>();

    Tensor decode() {
        long[] d = dims.stream().mapToLong(Long::longValue).toArray();
        long n = 1;
        for (long x : d) {
            if (x < 0) throw new IllegalArgumentException("tensor " + name + " has a negative dimension " + Arrays.toString(d));
        }
        for (long x : d) {
            if (x == 0) { n = 0; break; }
            // found by OnnxFuzzTest: dims whose product overflows a long (multiplyExact threw ArithmeticException)
            if (n > (Integer.MAX_VALUE - 8) / x) throw new IllegalArgumentException("tensor " + name + " " + Arrays.toString(d) + " is too large");
            n *= x;
        }
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("tensor " + name + " is too large");
        int count = (int) n;
        checkSize(count);  // before allocating: a corrupt dims field must not cost gigabytes
        return switch (type) {
            case FLOAT, FLOAT16, BFLOAT16, DOUBLE -> new Tensor(name, type, d, floats(count), null);
            case INT64, INT32, INT16, INT8, UINT8, UINT16, UINT32, UINT64, BOOL -> new Tensor(name, type, d, null, longs(count));
            default -> throw new IllegalArgumentException("tensor " + name + " has unsupported data type " + type);
        };
    }

    void addFloat(float f) {
        if (floatCount == floatData.length) floatData = Arrays.copyOf(floatData, Math.max(16, 2 * floatCount));
        floatData[floatCount++] = f;
    }

    private void checkSize(int count) {
        if (raw != null) { raw(count); return; }
        int have = switch (type) {
            case FLOAT -> floatCount;
            case DOUBLE -> doubleData.size();
            default -> intData.size();
        };
        if (have == 0 && count > 0) throw new IllegalArgumentException("tensor " + name + " has no data");
        requireCount(have, count);
    }

    private static int width(int type) {
        return switch (type) {
            case FLOAT, INT32, UINT32 -> 4;
            case FLOAT16, BFLOAT16, INT16, UINT16 -> 2;
            case DOUBLE, INT64, UINT64 -> 8;
            default -> 1;
        };
    }

    private ByteBuffer raw(int count) {
        long want = (long) count * width(type);
        if (raw.remaining() != want) {
            throw new IllegalArgumentException("tensor " + name + ": " + raw.remaining() + " bytes of data do not fit shape "
                + dims + " (" + want + " bytes)");
        }
        return raw.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private void requireCount(int have, int count) {
        if (have != count) throw new IllegalArgumentException("tensor " + name + ": " + have + " values do not fit shape " + dims);
    }

    private float[] floats(int count) {
        float[] v = new float[count];
        if (raw != null && type == FLOAT) {
            raw(count).asFloatBuffer().get(v);  // the common case, in bulk
        } else if (raw != null) {
            ByteBuffer b = raw(count);
            for (int i = 0; i < count; i++) {
                v[i] = switch (type) {
                    case FLOAT16 -> Float.float16ToFloat(b.getShort(2 * i));
                    case BFLOAT16 -> Float.intBitsToFloat(b.getShort(2 * i) << 16);
                    default -> (float) b.getDouble(8 * i);
                };
            }
        } else if (type == FLOAT) {
            requireCount(floatCount, count);
            System.arraycopy(floatData, 0, v, 0, count);
        } else if (type == DOUBLE) {
            requireCount(doubleData.size(), count);
            for (int i = 0; i < count; i++) v[i] = doubleData.get(i).floatValue();
        } else {
            // float16 and bfloat16 travel as their bit patterns in int32_data
            requireCount(intData.size(), count);
            for (int i = 0; i < count; i++) {
                short bits = (short) (long) intData.get(i);
                v[i] = type == FLOAT16 ? Float.float16ToFloat(bits) : Float.intBitsToFloat(bits << 16);
            }
        }
        return v;
    }

    private long[] longs(int count) {
        long[] v = new long[count];
        if (raw != null) {
            ByteBuffer b = raw(count);
            for (int i = 0; i < count; i++) {
                v[i] = switch (type) {
                    case INT64, UINT64 -> b.getLong(8 * i);
                    case INT32 -> b.getInt(4 * i);
                    case UINT32 -> Integer.toUnsignedLong(b.getInt(4 * i));
                    case INT16 -> b.getShort(2 * i);
                    case UINT16 -> Short.toUnsignedInt(b.getShort(2 * i));
                    case INT8 -> b.get(i);
                    default -> Byte.toUnsignedInt(b.get(i));
                };
            }
        } else {
            requireCount(intData.size(), count);
            for (int i = 0; i < count; i++) v[i] = intData.get(i);
        }
        return v;
    }
}
