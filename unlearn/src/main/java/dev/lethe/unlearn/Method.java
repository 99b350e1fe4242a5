package dev.lethe.unlearn;

/**
 * An unlearning method: the original model and a deletion request in, an unlearned model
 * out. Implementations read like their definition in UNLEARNING.md; loops, masks and
 * projections come from the shared machinery and the engine's {@code dev.lethe.surgery}
 * kernels. A method's hyperparameters are constructor arguments with documented defaults.
 */
public interface Method {
    /** The name used on the command line and in reports, e.g. {@code salun}. */
    String name();

    /**
     * Unlearns {@code ctx.split().forget()} from {@code ctx.original()}; deterministic for a
     * given context (seeded shuffles and noise), whatever the thread count.
     *
     * @return a new model; {@code ctx.original()} is left unchanged
     */
    Unlearned unlearn(UnlearnContext ctx);
}
