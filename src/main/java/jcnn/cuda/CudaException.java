package jcnn.cuda;

/** A failure reported by a device: a bad launch, a kernel trap, an out-of-bounds access, missing binaries. */
public class CudaException extends RuntimeException {
    public CudaException(String message) { super(message); }
    public CudaException(String message, Throwable cause) { super(message, cause); }
}
