package dev.lethe.autograd;

/**
 * A thread-local scope in which ops record no graph:
 * {@code try (var g = NoGrad.enter()) { ... }}. Scopes nest; closing restores the previous
 * mode. Backward itself runs inside one, so gradients are plain values (no higher-order
 * graphs).
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private boolean closed;

    private NoGrad() {}

    /** Enters a no-grad scope on this thread. */
    public static NoGrad enter() {
        DEPTH.get()[0]++;
        return new NoGrad();
    }

    /** True when ops on this thread should record the graph. */
    public static boolean gradEnabled() {
        return DEPTH.get()[0] == 0;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        DEPTH.get()[0]--;
    }
}
