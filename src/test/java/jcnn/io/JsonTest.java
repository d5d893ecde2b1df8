package jcnn.io;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
    @Test
    void parsesTheValuesAHeaderUses() {
        Object v = Json.parse(" {\"a\\u00e9\\n\": [1, -2, 3.5e1, true, false, null, {}], \"b\": \"x\\\"y\"} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of(1L, -2L, 35.0, true, false, Json.NULL, Map.of()), m.get("a\u00e9\n"));
        assertEquals("x\"y", m.get("b"));
    }

    @Test
    void quoteRoundTrips() {
        String s = "a\"b\\c\n\u0001 é";
        assertEquals(s, Json.parse(Json.quote(s)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":}", "{\"a\" 1}", "[1,]", "[01]", "1.", "-", "\"\\x\"", "\"a\tb\"", "tru",
        "{\"a\":1,\"a\":2}", "99999999999999999999", "{} {}", "\"\\u12g4\""})
    void rejectsMalformedText(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
        assertTrue(e.getMessage().startsWith("bad JSON at offset"), e.getMessage());
    }

    @Test
    void deepNestingIsRefusedNotOverflowed() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        var e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting"), e.getMessage());
    }
}
