package dev.lethe.cpu;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests that call {@link Parallel#setThreads}: the thread count each test found is set
 * again after it, so a test that fails half-way does not leave the next one on its count.
 * Use with {@code @ExtendWith(RestoresThreadCount.class)}.
 */
public final class RestoresThreadCount implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RestoresThreadCount.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("threads", Parallel.threads());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Parallel.setThreads(context.getStore(NS).get("threads", Integer.class));
    }
}
