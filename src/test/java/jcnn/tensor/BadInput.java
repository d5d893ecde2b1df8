package jcnn.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.function.Executable;

/** Table-driven bad-input checks: each case must throw its type with a one-line message containing a fragment. */
public final class BadInput {
    private BadInput() {}

    public record Case(String what, Class<? extends Throwable> type, String message, Executable call) {}

    public static void check(List<Case> cases) {
        for (Case c : cases) {
            Throwable e = assertThrows(c.type(), c.call(), c.what());
            assertNotNull(e.getMessage(), c.what());
            assertTrue(e.getMessage().contains(c.message()), c.what() + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), c.what() + ": one line: " + e.getMessage());
        }
    }
}
