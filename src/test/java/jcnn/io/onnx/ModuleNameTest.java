package jcnn.io.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;

/** PyTorch module paths recovered from initializer names, else from the exporter's scope names. */
class ModuleNameTest {
    private static String module(String weight, String nodeName) {
        var s = new ImportState("t", Shape.nchw(1, 3, 8, 8), "x", 17);
        return s.module(weight, new OnnxModel.Node(nodeName, "Conv", "", List.of(), List.of("y"), Map.of()), "conv");
    }

    @Test
    void fromInitializersAndScopes() {
        assertEquals("features.denseblock1.denselayer1.conv1", module("features.denseblock1.denselayer1.conv1.weight", ""));
        assertEquals("classifier.1", module("classifier.1.weight", "/classifier/classifier.1/Gemm"));
        // BN folded into the conv by the exporter: anonymous weights, the scope name tells the module
        assertEquals("layer1.0.conv1", module("onnx::Conv_497", "/layer1/layer1.0/conv1/Conv"));
        assertEquals("features.0.0", module("onnx::Conv_12", "/features/features.0/features.0.0/Conv"));
        assertEquals("conv_0", module("onnx::Conv_1", ""));
    }
}
