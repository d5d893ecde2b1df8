package jcnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jcnn.testing.TestData;

/**
 * Shared by the kernel tests: one emulator device per JVM, upload/download, NaN-poisoned outputs,
 * and "slots": a channel-slice view inside a larger poisoned buffer, so a test can check both the
 * kernel's batch-stride handling and that it wrote nothing outside its slice.
 */
abstract class EmuTestBase {
    static final EmuDevice DEV = new EmuDevice();

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
