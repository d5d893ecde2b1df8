package jcnn.models;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import jcnn.graph.Graph;
import jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every id builds, at its default size and at 32x32; heads, names and errors. */
class ZooTest {
    static java.util.List<String> ids() { return Zoo.ids(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ids")
    void buildsAtDefaultSizeAnd32(String id) {
        Graph g = Zoo.build(id);
        int size = Zoo.parse(id).defaultSize();
        assertEquals(Shape.nchw(1, 3, size, size), g.inputShape());
        int classes = id.startsWith("densenet_") ? 10 : 1000;
        Shape head = id.startsWith("squeezenet") ? Shape.nchw(1, classes, 1, 1) : Shape.of(1, classes);
        assertEquals(head, g.outputShape(), id);
        Graph small = Zoo.build(id, 32);
        assertEquals(head, small.outputShape(), id + " at 32x32");
        assertEquals(g.params(), small.params(), "parameters do not depend on the input size");
    }

    @Test
    void classesAndBatch() {
        assertEquals(Shape.of(2, 7), Zoo.build("resnext50_32x4d:classes=7", Shape.nchw(2, 3, 32, 32)).outputShape());
        assertEquals(Shape.nchw(2, 7, 1, 1), Zoo.build("squeezenet1_1:classes=7", Shape.nchw(2, 3, 64, 64)).outputShape());
        assertEquals(Shape.of(1, 100), Zoo.build("densenet_bc_250_k24:classes=100").outputShape());
    }

    /** A size the net cannot take fails naming the net, the size and the layer where it breaks. */
    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource(delimiter = ';', textBlock = """
        squeezenet1_0;       16; features.
        densenet121;         8;  features.
        squeezenet1_1;       8;  features.
        densenet_bc_100_k12; 2;  features.transition
        densenet264;         4;  features.transition1.pool
        """)
    void tooSmallFailsClearly(String id, int size, String layer) {
        var e = assertThrows(IllegalArgumentException.class, () -> Zoo.build(id, size));
        String m = e.getMessage();
        assertTrue(m.contains(id) && m.contains(String.valueOf(size)) && m.contains(layer), m);
    }

    /** With "same" padding everywhere and no 2x2 pool, these admit any size, down to 1x1. */
    @Test
    void paddedNetsAdmitTinyInputs() {
        for (String id : new String[] {"resnext50_32x4d", "shufflenet_v2_x1_0", "mobilenet_v2", "mobilenet_v1", "shufflenet_v1"}) {
            assertEquals(Shape.of(1, 1000), Zoo.build(id, 1).outputShape(), id);
        }
    }

    @Test
    void badSpecsListTheChoices() {
        var e = assertThrows(IllegalArgumentException.class, () -> Zoo.build("resnet50"));
        assertTrue(e.getMessage().contains("densenet121") && e.getMessage().contains("shufflenet_v2_x2_0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Zoo.build("mobilenet_v1:depth=3"));
        assertTrue(e.getMessage().contains("width=") && e.getMessage().contains("act="), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Zoo.build("shufflenet_v1:g=5"));
        assertTrue(e.getMessage().contains("3|1|2|4|8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Zoo.build("mobilenet_v1:width"));
        assertTrue(e.getMessage().contains("key=value"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Zoo.build("squeezenet1_0:classes=0"));
        assertEquals("mobilenet_v1:width=0.5,res=160", Zoo.parse("mobilenet_v1:width=0.5,res=160").name());
        assertEquals("mobilenet_v1", Zoo.parse("mobilenet_v1:width=1.0").name());
        assertEquals("mobilenet_v1", Zoo.parse("mobilenet_v1:width=1,act=relu6").name(), "values are canonical");
        assertEquals("shufflenet_v1:g=8", Zoo.parse("shufflenet_v1:g=8.0").name());
        assertEquals("densenet121:classes=5", Zoo.parse("densenet121:classes=05").name());
        assertThrows(IllegalArgumentException.class, () -> Zoo.parse("densenet121:classes=2.5"));
        assertThrows(IllegalArgumentException.class, () -> Zoo.parse("mobilenet_v1:width=0.5,width=0.25"));
    }

    /** Weight keys and shapes of torchvision's state dicts, so saved PyTorch weights load by name. */
    @Test
    void torchvisionStateDictNames() {
        check("densenet121", Map.of(
            "features.conv0.weight", Shape.of(64, 3, 7, 7),
            "features.denseblock1.denselayer1.norm1.running_var", Shape.of(64),
            "features.denseblock1.denselayer2.conv1.weight", Shape.of(128, 96, 1, 1),
            "features.denseblock4.denselayer16.conv2.weight", Shape.of(32, 128, 3, 3),
            "features.transition1.conv.weight", Shape.of(128, 256, 1, 1),
            "features.norm5.weight", Shape.of(1024),
            "classifier.weight", Shape.of(1000, 1024)));
        check("resnext50_32x4d", Map.of(
            "conv1.weight", Shape.of(64, 3, 7, 7),
            "layer1.0.conv2.weight", Shape.of(128, 4, 3, 3),
            "layer1.0.downsample.0.weight", Shape.of(256, 64, 1, 1),
            "layer1.0.downsample.1.running_mean", Shape.of(256),
            "layer4.2.bn3.weight", Shape.of(2048),
            "fc.weight", Shape.of(1000, 2048)));
        check("mobilenet_v2", Map.of(
            "features.0.0.weight", Shape.of(32, 3, 3, 3),
            "features.1.conv.0.0.weight", Shape.of(32, 1, 3, 3),
            "features.1.conv.1.weight", Shape.of(16, 32, 1, 1),
            "features.2.conv.0.0.weight", Shape.of(96, 16, 1, 1),
            "features.2.conv.3.bias", Shape.of(24),
            "features.18.0.weight", Shape.of(1280, 320, 1, 1),
            "classifier.1.weight", Shape.of(1000, 1280)));
        check("shufflenet_v2_x1_0", Map.of(
            "conv1.0.weight", Shape.of(24, 3, 3, 3),
            "stage2.0.branch1.0.weight", Shape.of(24, 1, 3, 3),
            "stage2.0.branch1.2.weight", Shape.of(58, 24, 1, 1),
            "stage2.1.branch2.0.weight", Shape.of(58, 58, 1, 1),
            "stage4.3.branch2.6.weight", Shape.of(232),
            "conv5.0.weight", Shape.of(1024, 464, 1, 1),
            "fc.weight", Shape.of(1000, 1024)));
        check("squeezenet1_0", Map.of(
            "features.0.weight", Shape.of(96, 3, 7, 7),
            "features.3.squeeze.weight", Shape.of(16, 96, 1, 1),
            "features.12.expand3x3.bias", Shape.of(256),
            "classifier.1.weight", Shape.of(1000, 512, 1, 1)));
        check("squeezenet1_1", Map.of(
            "features.0.weight", Shape.of(64, 3, 3, 3),
            "features.6.squeeze.weight", Shape.of(32, 128, 1, 1),
            "features.12.expand1x1.weight", Shape.of(256, 64, 1, 1)));
    }

    private static void check(String id, Map<String, Shape> expected) {
        Map<String, Shape> w = Zoo.build(id, 64).weightShapes();
        expected.forEach((k, s) -> assertEquals(s, w.get(k), id + " " + k));
    }
}
