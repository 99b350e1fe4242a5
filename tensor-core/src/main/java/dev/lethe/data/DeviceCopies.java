package dev.lethe.data;

import dev.lethe.tensor.Device;
import dev.lethe.tensor.MemoryScope;
import dev.lethe.tensor.Storage;
import dev.lethe.tensor.Tensor;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The device copies of data sets' inputs that {@link DataLoader#on} gathers from: one per view
 * of an inputs storage and device, shared by every loader over those inputs, so that a data
 * set relabelled each epoch, or loaded again for each learning rate a method tries, is not
 * copied to the device each time.
 *
 * <p>A copy is made again when the inputs were written in place since (their storage's
 * version changed; writes that do not bump it, such as {@code Storage.set}, go unseen, as they
 * do for autograd). The cache holds the inputs' storage and the copy weakly: a copy lives while
 * some loader gathers from it, as when each loader made its own, and the collector may then
 * free it, after which the next loader copies the inputs again.
 */
final class DeviceCopies {
    /** Which view of a storage, on which device: data sets made from one another share their inputs' storage, not the Tensor. */
    private record Key(Device device, int offset, List<Integer> shape, List<Integer> strides) {
        static Key of(Tensor t, Device device) {
            return new Key(device, t.offset(), Arrays.stream(t.shape()).boxed().toList(), Arrays.stream(t.strides()).boxed().toList());
        }
    }

    /** A copy, held weakly, and the inputs' storage version it was made at. */
    private record Copy(WeakReference<Tensor> tensor, int version) {}

    /** Keyed by the inputs' storage, by identity (Storage keeps Object's equals and hashCode), held weakly. */
    private static final Map<Storage, Map<Key, Copy>> COPIES = new WeakHashMap<>();

    private DeviceCopies() {}

    /** {@code inputs} on {@code device}, made outside any {@link MemoryScope} (it outlives the loaders' steps). */
    static synchronized Tensor of(Tensor inputs, Device device) {
        Map<Key, Copy> copies = COPIES.computeIfAbsent(inputs.storage(), k -> new HashMap<>());
        Key key = Key.of(inputs, device);
        Copy c = copies.get(key);
        int version = inputs.storage().version();
        Tensor copy = c == null || c.version() != version ? null : c.tensor().get();
        if (copy == null) {
            copy = MemoryScope.outside(() -> inputs.detach().to(device));
            copies.put(key, new Copy(new WeakReference<>(copy), version));
        }
        return copy;
    }
}
