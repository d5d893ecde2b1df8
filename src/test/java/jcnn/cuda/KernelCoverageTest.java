package jcnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every kernel exported by kernels/*.cu follows the name grammar, is registered in the emulator
 * and has a launcher in jcnn.cuda (which the *KernelsTest classes drive): no kernel is left
 * without a path from Java.
 */
class KernelCoverageTest extends EmuTestBase {
    static final Pattern EXPORT = Pattern.compile("JCNN_KERNEL\\((\\w+),\\s*(SYNC|NOSYNC)\\)");
    static final Pattern GRAMMAR = Pattern.compile("[a-z]+(_[a-z]+)*_f32_[a-z0-9]+(_[a-z0-9]+)*");

    static List<String> exported() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("kernels"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cu")).sorted().toList()) {
                Matcher m = EXPORT.matcher(Files.readString(f));
                while (m.find()) {
                    String stem = f.getFileName().toString().replace(".cu", "");
                    assertTrue(m.group(1).startsWith(stem + "_f32_"), m.group(1) + " in " + f + " does not start with " + stem + "_f32_");
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    @Test void everyKernelIsRegisteredAndLaunched() throws IOException {
        List<String> names = exported();
        assertEquals(18, names.size(), "kernels exported: " + names);
        StringBuilder launchers = new StringBuilder();
        try (Stream<Path> files = Files.list(Path.of("src/main/java/jcnn/cuda"))) {
            for (Path f : files.toList()) launchers.append(Files.readString(f));
        }
        for (String n : names) {
            assertTrue(GRAMMAR.matcher(n).matches(), n + " breaks <stem>_f32_<variant>");
            assertEquals(n, EMU.kernel(n).name());
            assertTrue(launchers.indexOf('"' + n + '"') >= 0, n + " has no launcher in src/main/java/jcnn/cuda");
        }
        assertFalse(names.stream().anyMatch(n -> n.startsWith("emutest")));
    }
}
