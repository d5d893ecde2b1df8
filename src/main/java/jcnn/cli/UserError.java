package jcnn.cli;

/** An error the user caused (unknown net, bad option, unreadable file): one line, exit code 2. */
public final class UserError extends RuntimeException {
    public UserError(String message) { super(message); }
    public UserError(String message, Throwable cause) { super(message, cause); }
}
