package jcnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jcnn.testing.Compare;
import jcnn.testing.TestData;

/**
 * Shared by the kernel tests: one emulator device per JVM, upload/download, NaN-poisoned outputs,
 * and "slots": a channel-slice view inside a larger poisoned buffer, so a test can check both the
 * kernel's batch-stride handling and that it wrote nothing outside its slice.
 */
abstract class EmuTestBase {
    static final EmuDevice EMU = new EmuDevice();
    /** The device the kernel tests launch on: the emulator, traced for native/gpucheck when -Djcnn.gputrace=FILE. */
    static final Device DEV = System.getProperty("jcnn.gputrace") == null ? EMU
        : new TraceDevice(EMU, java.nio.file.Path.of(System.getProperty("jcnn.gputrace")));

    /** Compare.close of a device result with the reference (and its record in a GPU trace). */
    static void close(String what, long seed, long reduction, Tensor ref, DeviceTensor got) {
        try (Tensor g = got.download()) { Compare.close(what, seed, reduction, ref, g); }
        if (DEV instanceof TraceDevice t) t.expect(what, got, ref, Compare.atol(reduction), Compare.RTOL);
    }

    /** Compare.exact of a device result with the reference (and its record in a GPU trace). */
    static void exact(String what, long seed, Tensor ref, DeviceTensor got) {
        try (Tensor g = got.download()) { Compare.exact(what, seed, ref, g); }
        if (DEV instanceof TraceDevice t) t.expect(what, got, ref, 0, 0);
    }

    static DeviceTensor up(Tensor t) { return DeviceTensor.upload(DEV, t); }

    /** A device tensor whose every byte is 0xFF (NaN), so an unwritten element fails the comparison. */
    static DeviceTensor poisoned(Shape s) { return DeviceTensor.allocate(DEV, s).fillBytes(0xFF); }

    /** A view of channels [before, before + s.c()) of a poisoned buffer with before + after extra channels. */
    record Slot(DeviceTensor parent, DeviceTensor view, int before) implements AutoCloseable {
        static Slot of(Shape s, int before, int after) {
            DeviceTensor p = poisoned(s.withC(s.c() + before + after));
            return new Slot(p, before + after == 0 ? p : p.channelSlice(before, s.c()), before);
        }

        /** Asserts that every channel outside the view still holds the poison bytes. */
        void assertOutsideUntouched(String what) {
            if (parent == view) return;
            Tensor all = parent.download();
            for (int n = 0; n < all.n(); n++)
                for (int c = 0; c < all.c(); c++) {
                    if (c >= before && c < before + view.c()) continue;
                    for (int y = 0; y < all.h(); y++)
                        for (int x = 0; x < all.w(); x++)
                            assertEquals(-1, Float.floatToRawIntBits(all.get(n, c, y, x)),
                                what + ": wrote outside its channel slice at n=" + n + " c=" + c);
                }
            all.close();
        }

        @Override public void close() { parent.close(); }
    }

    /** A host tensor of shape s seen as a channel slice of a larger random tensor (or s itself). */
    static Tensor hostView(Tensor whole, Shape s, int before) {
        return whole.c() == s.c() ? whole : whole.channelSlice(before, s.c());
    }

    static Tensor random(Shape s, SplittableRandom r) { return TestData.random(s, r); }
    static Tensor random(Shape s, SplittableRandom r, float lo, float hi) { return TestData.random(s, r, lo, hi); }
}
