package dev.lethe.autograd;

import dev.lethe.tensor.Storage;
import dev.lethe.tensor.Tensor;

/**
 * One recorded op in the graph: its inputs, the tensors its backward rule reads (with the
 * storage versions they had when saved), and the rule itself. After a backward that does not
 * retain the graph the node is released: its rule and saved tensors are dropped, and using it
 * again is an error.
 */
public final class Node {
    private final String name;
    private final Tensor[] inputs;
    private Tensor[] saved;
    private int[] savedVersions;
    private Backward rule;

    Node(String name, Tensor[] inputs, Tensor[] saved, Backward rule) {
        this.name = name;
        this.inputs = inputs;
        this.saved = saved;
        this.savedVersions = new int[saved.length];
        for (int i = 0; i < saved.length; i++) savedVersions[i] = saved[i].storage().version();
        this.rule = rule;
    }

    /** The op's name, as in error messages. */
    public String name() {
        return name;
    }

    /** The op's inputs, in recording order. */
    public Tensor[] inputs() {
        return inputs.clone();
    }

    Tensor input(int i) {
        return inputs[i];
    }

    /** Whether an input or a saved tensor of this node lives in {@code s}. */
    boolean holds(Storage s) {
        for (Tensor t : inputs) if (t != null && t.storage() == s) return true;
        if (saved != null) for (Tensor t : saved) if (t.storage() == s) return true;
        return false;
    }

    int inputCount() {
        return inputs.length;
    }

    boolean released() {
        return rule == null;
    }

    Tensor[] run(Tensor gradOut) {
        if (rule == null) {
            throw new IllegalStateException("backward through '" + name + "' a second time: its graph was released by an "
                    + "earlier backward; call backward(grad, true) the first time to keep it");
        }
        for (int i = 0; i < saved.length; i++) {
            int now = saved[i].storage().version();
            if (now != savedVersions[i]) {
                throw new IllegalStateException("a tensor of shape " + java.util.Arrays.toString(saved[i].shape()) + " saved by '" + name
                        + "' for backward was modified in place afterwards (version " + savedVersions[i] + " -> " + now
                        + "); clone it before modifying, or modify it before the op");
            }
        }
        Tensor[] grads = rule.apply(gradOut);
        if (grads.length != inputs.length) {
            throw new IllegalStateException("backward of '" + name + "' returned " + grads.length + " gradients for "
                    + inputs.length + " inputs");
        }
        return grads;
    }

    void release() {
        rule = null;
        saved = null;
        savedVersions = null;
    }

    @Override
    public String toString() {
        return name + (rule == null ? " (released)" : "");
    }
}
