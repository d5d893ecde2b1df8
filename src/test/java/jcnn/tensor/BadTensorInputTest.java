package jcnn.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every bad argument Shape and Tensor take, as a table: the exception type and a fragment of its
 * one-line message that names the problem. Then a closed tensor, method by method.
 */
class BadTensorInputTest {
    private static final Shape S = Shape.nchw(1, 3, 4, 4);

    @Test
    void shapes() {
        BadInput.check(List.of(
            new BadInput.Case("null dims", NullPointerException.class, "null", () -> Shape.of((int[]) null)),
            new BadInput.Case("rank 0", IllegalArgumentException.class, "rank must be 1..4", () -> Shape.of()),
            new BadInput.Case("rank 5", IllegalArgumentException.class, "rank must be 1..4", () -> Shape.of(1, 1, 1, 1, 1)),
            new BadInput.Case("zero dim", IllegalArgumentException.class, "must be positive: [1, 0, 4, 4]", () -> Shape.nchw(1, 0, 4, 4)),
            new BadInput.Case("negative dim", IllegalArgumentException.class, "must be positive: [-1, 3, 4, 4]", () -> Shape.nchw(-1, 3, 4, 4)),
            new BadInput.Case("zero batch", IllegalArgumentException.class, "must be positive", () -> S.withN(0)),
            new BadInput.Case("negative channels", IllegalArgumentException.class, "must be positive", () -> S.withC(-3)),
            new BadInput.Case("overflowing size", IllegalArgumentException.class, "too many elements",
                () -> Shape.nchw(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 2)),
            new BadInput.Case("require null", NullPointerException.class, "expected shape [1, 3, 4, 4] but got null", () -> S.require(null, "copy")),
            new BadInput.Case("require other", IllegalArgumentException.class, "copy: expected shape [1, 3, 4, 4] but got [1, 4, 4, 4]",
                () -> S.require(S.withC(4), "copy"))));
    }

    @Test
    void tensors() {
        try (Tensor t = Tensor.allocate(S)) {
            BadInput.check(List.of(
                new BadInput.Case("allocate null", NullPointerException.class, "shape is null", () -> Tensor.allocate((Shape) null)),
                new BadInput.Case("allocate zero dim", IllegalArgumentException.class, "must be positive", () -> Tensor.allocate(1, 3, 0, 4)),
                new BadInput.Case("allocate in null arena", NullPointerException.class, "arena is null", () -> Tensor.allocate(S, null)),
                // 2^40 floats = 4 TiB: refused by the size check, before any allocation is attempted
                new BadInput.Case("allocate absurd", IllegalArgumentException.class, "tensor [1024, 1024, 1024, 1024] needs 4.0 TiB",
                    () -> Tensor.allocate(1024, 1024, 1024, 1024)),
                new BadInput.Case("absurd in an arena", IllegalArgumentException.class, "more than this machine's",
                    () -> { try (Arena a = Arena.ofConfined()) { Tensor.allocate(Shape.nchw(65536, 3, 1024, 1024), a); } }),
                new BadInput.Case("wrap null array", NullPointerException.class, "array is null", () -> Tensor.wrap((float[]) null, S)),
                new BadInput.Case("wrap null shape", NullPointerException.class, "shape is null", () -> Tensor.wrap(new float[48], null)),
                new BadInput.Case("wrap short array", IllegalArgumentException.class, "array of 47 floats does not fit shape [1, 3, 4, 4]",
                    () -> Tensor.wrap(new float[47], S)),
                new BadInput.Case("wrap null segment", NullPointerException.class, "segment is null", () -> Tensor.wrap((MemorySegment) null, S)),
                new BadInput.Case("wrap small segment", IllegalArgumentException.class, "segment of 8 bytes is too small",
                    () -> Tensor.wrap(MemorySegment.ofArray(new float[2]), S)),
                new BadInput.Case("wrap null buffer", NullPointerException.class, "buffer is null", () -> Tensor.wrap((FloatBuffer) null, S)),
                new BadInput.Case("wrap short buffer", IllegalArgumentException.class, "buffer of 3 floats",
                    () -> Tensor.wrap(FloatBuffer.allocate(3), S)),
                new BadInput.Case("wrap wrong-order buffer", IllegalArgumentException.class, "native byte order",
                    () -> Tensor.wrap(ByteBuffer.allocateDirect(192).order(java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.BIG_ENDIAN
                        ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN).asFloatBuffer(), S)),
                new BadInput.Case("copyOf null", NullPointerException.class, "array is null", () -> Tensor.copyOf(null, S)),
                new BadInput.Case("copyOf wrong length", IllegalArgumentException.class, "array of 5 floats", () -> Tensor.copyOf(new float[5], S)),
                new BadInput.Case("copyFrom null tensor", NullPointerException.class, "source tensor is null", () -> t.copyFrom((Tensor) null)),
                new BadInput.Case("copyFrom null array", NullPointerException.class, "source array is null", () -> t.copyFrom((float[]) null)),
                new BadInput.Case("copyFrom wrong shape", IllegalArgumentException.class, "expected shape [1, 3, 4, 4] but got [1, 3, 4, 5]",
                    () -> t.copyFrom(Tensor.wrap(new float[60], Shape.nchw(1, 3, 4, 5)))),
                new BadInput.Case("copyFrom wrong length", IllegalArgumentException.class, "array of 3 floats does not fit", () -> t.copyFrom(new float[3])),
                new BadInput.Case("slice past the channels", IllegalArgumentException.class, "channel slice [2, 4) is outside 3 channels",
                    () -> t.channelSlice(2, 2)),
                new BadInput.Case("slice of zero channels", IllegalArgumentException.class, "is outside", () -> t.channelSlice(0, 0)),
                new BadInput.Case("slice negative start", IllegalArgumentException.class, "is outside", () -> t.channelSlice(-1, 1)),
                new BadInput.Case("slice of rank 2", IllegalArgumentException.class, "needs an NCHW tensor",
                    () -> Tensor.wrap(new float[6], Shape.of(2, 3)).channelSlice(0, 1)),
                new BadInput.Case("reshape to another size", IllegalArgumentException.class, "cannot reshape [1, 3, 4, 4] to [1, 3, 4, 5]",
                    () -> t.reshape(Shape.nchw(1, 3, 4, 5))),
                new BadInput.Case("reshape to null", NullPointerException.class, "shape is null", () -> t.reshape(null)),
                new BadInput.Case("index past the end", IndexOutOfBoundsException.class, "", () -> t.get(48)),
                new BadInput.Case("negative index", IndexOutOfBoundsException.class, "", () -> t.set(-1, 0f))));
        }
    }

    /** After close, every method that touches the memory throws IllegalStateException naming the tensor; never a crash. */
    @Test
    void closedTensorAndItsViewsThrowOnEveryMemoryAccess() {
        Tensor t = Tensor.allocate(Shape.nchw(2, 3, 4, 4));
        Tensor view = t.channelSlice(1, 2);
        Tensor flat = t.reshape(Shape.of(2, 48));
        t.close();
        for (Tensor x : new Tensor[] {t, view, flat}) {
            String name = "tensor " + x.shape() + " is closed";
            try (Tensor live = Tensor.allocate(x.shape())) {
                BadInput.check(List.of(
                    new BadInput.Case("get", IllegalStateException.class, name, () -> x.get(0)),
                    new BadInput.Case("get(n,c,h,w)", IllegalStateException.class, name, () -> x.get(0, 0, 0, 0)),
                    new BadInput.Case("set", IllegalStateException.class, name, () -> x.set(0, 1f)),
                    new BadInput.Case("set(n,c,h,w)", IllegalStateException.class, name, () -> x.set(0, 0, 0, 0, 1f)),
                    new BadInput.Case("fill", IllegalStateException.class, name, () -> x.fill(1f)),
                    new BadInput.Case("fill 0", IllegalStateException.class, name, () -> x.fill(0f)),
                    new BadInput.Case("toArray", IllegalStateException.class, name, () -> x.toArray()),
                    new BadInput.Case("copyFrom tensor", IllegalStateException.class, name, () -> x.copyFrom(live)),
                    new BadInput.Case("copy from a closed tensor", IllegalStateException.class, name, () -> live.copyFrom(x)),
                    new BadInput.Case("copyFrom array", IllegalStateException.class, name, () -> x.copyFrom(new float[(int) x.shape().size()])),
                    new BadInput.Case("asFloatBuffer", IllegalStateException.class, name, () -> x.asFloatBuffer()),
                    new BadInput.Case("segment", IllegalStateException.class, name, () -> x.segment()),
                    new BadInput.Case("reshape", IllegalStateException.class, name, () -> x.reshape(x.shape())),
                    new BadInput.Case("requireOpen", IllegalStateException.class, name, x::requireOpen)));
            }
            if (x.shape().rank() == 4) BadInput.check(List.of(new BadInput.Case("channelSlice", IllegalStateException.class, name, () -> x.channelSlice(0, 1))));
            // what stays usable: the shape, the state, the name, and close itself (idempotent)
            assertTrue(x.isClosed());
            assertEquals(x.shape().n(), x.n());
            assertTrue(x.toString().startsWith("Tensor"));
            assertDoesNotThrow(x::close);
        }
    }

    @Test
    void closedTensorFreesItsCountedMemory() {
        long before = NativeMemory.liveBytes();
        Tensor t = Tensor.allocate(Shape.nchw(1, 3, 32, 32));
        assertEquals(before + 3 * 32 * 32 * 4, NativeMemory.liveBytes());
        t.close();
        t.close();
        assertEquals(before, NativeMemory.liveBytes());
    }
}
