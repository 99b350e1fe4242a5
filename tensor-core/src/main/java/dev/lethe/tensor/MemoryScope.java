package dev.lethe.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Device memory with a lifetime: the device storage made on this thread while a scope is open
 * is released when it closes, unless {@link #keep kept}. Without scopes, device memory goes
 * back when the garbage collector finds its tensor unreachable, and the collector knows
 * nothing of device memory: a GPU training loop that makes little Java garbage keeps gigabytes
 * of dead activations, and every step allocates afresh instead of reusing the last step's
 * blocks. A step in a scope frees its activations and gradients of activations as it ends.
 * <pre>
 *   try (MemoryScope scope = MemoryScope.open()) {
 *       Tensor h = x.matmul(w).relu();      // released when the scope closes
 *       Tensor y = h.sum(new int[] {1}, false);
 *       scope.keep(y);                      // outlives it
 *   }
 * </pre>
 * A training loop's steps open theirs through {@link dev.lethe.train.StepMemory}, which also
 * hands each step the gradients the last one left and keeps the new ones.
 * A released tensor refuses every later use with an {@link IllegalStateException} that says so
 * (never silently reading reused memory). Kept storage moves to the enclosing scope, if any.
 * Heap storage is never touched: on the CPU a scope does nothing. Scopes belong to the thread
 * that opened them and close in the reverse order.
 *
 * <p>A scope holds what it owns until it closes: inside one long scope the collector frees no
 * device memory made there, so open one per step, not one around a whole run. A device tensor
 * carried from one step to the next (a running sum, a cache made lazily) must be kept, or made
 * {@link #outside} the scope.
 */
public final class MemoryScope implements AutoCloseable {
    private static final ThreadLocal<MemoryScope> CURRENT = new ThreadLocal<>();

    private final MemoryScope parent;
    private final Thread owner = Thread.currentThread();
    private final List<Storage> owned = new ArrayList<>();
    private final Set<Storage> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private MemoryScope(MemoryScope parent) {
        this.parent = parent;
    }

    /** Opens a scope on this thread, inside the one already open (if any). */
    public static MemoryScope open() {
        MemoryScope s = new MemoryScope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** Runs {@code body} with no scope open on this thread: what it makes lives until the collector frees it. */
    public static <T> T outside(Supplier<T> body) {
        MemoryScope current = CURRENT.get();
        CURRENT.remove();
        try {
            return body.get();
        } finally {
            if (current != null) CURRENT.set(current);
        }
    }

    /** Called by {@link Storage#onDevice}: the innermost open scope of this thread owns {@code s}. */
    static void register(Storage s) {
        MemoryScope current = CURRENT.get();
        if (current != null) current.owned.add(s);
    }

    /** Keeps the storage of each tensor (null entries skipped) past this scope's end. */
    public MemoryScope keep(Iterable<Tensor> tensors) {
        for (Tensor t : tensors) if (t != null) kept.add(t.storage());
        return this;
    }

    /** Keeps the storage of each tensor (null entries skipped) past this scope's end. */
    public MemoryScope keep(Tensor... tensors) {
        return keep(java.util.Arrays.asList(tensors));
    }

    /**
     * This scope takes over a device tensor made before it opened (such as last step's
     * gradient, or a batch gathered outside): its storage is released when the scope closes,
     * unless kept. The caller vouches that nothing else will use it afterwards. Null and heap
     * tensors are ignored.
     */
    public MemoryScope adopt(Tensor t) {
        if (t != null && !t.device().isCpu() && !t.storage().isReleased()) owned.add(t.storage());
        return this;
    }

    /**
     * Releases what this scope owns and did not keep; moves what it kept to the enclosing scope.
     *
     * @throws IllegalStateException on another thread than the opener, or while a scope
     *                               opened inside this one is still open
     */
    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) throw new IllegalStateException("memory scope: opened on " + owner.getName() + ", closed on " + Thread.currentThread().getName());
        if (CURRENT.get() != this) throw new IllegalStateException("memory scope: a scope opened inside this one is still open; close scopes in the reverse order");
        closed = true;
        if (parent != null) CURRENT.set(parent);
        else CURRENT.remove();
        Set<Storage> moved = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Storage s : owned) {
            if (s.isReleased()) continue;
            if (!kept.contains(s)) s.release();
            else if (parent != null && moved.add(s)) parent.owned.add(s);
        }
    }
}
