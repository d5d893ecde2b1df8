package jcnn.cuda;

import jcnn.ops.Conv2d;

/**
 * Every Conv2d on the device: picks the kernel family by the op's shape (depthwise, 1x1 pointwise
 * GEMM, otherwise direct grouped/dense conv) and forwards with the reference's argument order.
 */
public final class ConvLauncher implements AutoCloseable {
    public enum Family { DEPTHWISE, POINTWISE, GROUPED }

    private final ConvDepthwiseLauncher depthwise;
    private final ConvPointwiseLauncher pointwise;
    private final ConvGroupedLauncher grouped;

    public ConvLauncher(Device dev) {
        depthwise = new ConvDepthwiseLauncher(dev);
        pointwise = new ConvPointwiseLauncher(dev);
        grouped = new ConvGroupedLauncher(dev);
    }

    public static Family family(Conv2d op) {
        if (ConvDepthwiseLauncher.supports(op)) return Family.DEPTHWISE;
        if (ConvPointwiseLauncher.supports(op)) return Family.POINTWISE;
        return Family.GROUPED;
    }

    public void conv2d(Conv2d op, DeviceTensor in, DeviceTensor w, DeviceTensor b, DeviceTensor res,
                       DeviceTensor inScale, DeviceTensor inShift, DeviceTensor out) {
        switch (family(op)) {
            case DEPTHWISE -> depthwise.conv2d(op, in, w, b, res, inScale, inShift, out);
            case POINTWISE -> pointwise.conv2d(op, in, w, b, res, inScale, inShift, out);
            case GROUPED -> grouped.conv2d(op, in, w, b, res, inScale, inShift, out);
        }
    }

    @Override
    public void close() {
        depthwise.close();
        pointwise.close();
        grouped.close();
    }
}
