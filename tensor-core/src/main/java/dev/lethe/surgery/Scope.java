package dev.lethe.surgery;

/** Where a top-fraction threshold is taken: over all tensors as one vector, or in each tensor alone. */
public enum Scope {
    /** One threshold over the flattened list: k = ⌊r·Σnᵢ⌋ entries kept in all. */
    GLOBAL,
    /** A threshold per tensor: kᵢ = ⌊r·nᵢ⌋ entries kept in tensor i. */
    PER_TENSOR
}
