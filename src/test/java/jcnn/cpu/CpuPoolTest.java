package jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class CpuPoolTest {
    @Test
    void everyItemOnceAndFailuresPropagate() throws Exception {
        try (CpuPool pool = new CpuPool(3)) {
            for (int round = 0; round < 200; round++) {
                int n = 1 + round % 37;
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                pool.run((i, w) -> hits.incrementAndGet(i), n);
                for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "round " + round + " item " + i);
            }
            var e = assertThrows(IllegalStateException.class, () -> pool.run((i, w) -> { if (i == 5) throw new IllegalStateException("boom"); }, 10));
            assertEquals("boom", e.getMessage());
            assertThrows(IllegalStateException.class, () -> pool.run((i, w) -> pool.run((j, v) -> {}, 2), 4));
            // usable after a failure, and from several threads at once
            Thread[] ts = new Thread[4];
            AtomicIntegerArray sum = new AtomicIntegerArray(1);
            for (int t = 0; t < ts.length; t++) {
                ts[t] = new Thread(() -> { for (int r = 0; r < 50; r++) pool.run((i, w) -> sum.incrementAndGet(0), 8); });
                ts[t].start();
            }
            for (Thread t : ts) t.join();
            assertEquals(4 * 50 * 8, sum.get(0));
        }
        assertThrows(IllegalArgumentException.class, () -> new CpuPool(0));
    }
}
