package dev.lethe.nn;

import java.util.List;

/**
 * The model zoo: small classifiers for 28×28 single-channel images with 10 classes (MNIST,
 * Fashion-MNIST). Layer i of a model is seeded with derive(seed, i).
 */
public final class Models {
    /** The names {@link #byName} knows. */
    public static final List<String> NAMES = List.of("mlp", "cnn", "resnet-mini");

    private Models() {}

    /** 784-256-128-10 with ReLU; takes [N, 784] or [N, 1, 28, 28]. 235,146 parameters. */
    public static Sequential mlp(long seed) {
        return new Sequential(
                new Flatten(),
                new Linear(784, 256, Init.derive(seed, 1)), new ReLU(),
                new Linear(256, 128, Init.derive(seed, 3)), new ReLU(),
                new Linear(128, 10, Init.derive(seed, 5)));
    }

    /** conv 1→16 3×3 pad 1, ReLU, maxpool 2, conv 16→32 3×3 pad 1, ReLU, maxpool 2, flatten, linear 1568→10; takes [N, 1, 28, 28]. 20,490 parameters. */
    public static Sequential cnn(long seed) {
        return new Sequential(
                new Conv2d(1, 16, 3, 1, 1, true, Init.derive(seed, 0)), new ReLU(), new MaxPool2d(2),
                new Conv2d(16, 32, 3, 1, 1, true, Init.derive(seed, 3)), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(32 * 7 * 7, 10, Init.derive(seed, 7)));
    }

    /**
     * A small ResNet: stem conv 1→16 3×3 (no bias) + BatchNorm2d + ReLU, two 16→16 residual
     * blocks, one 16→32 block at stride 2 with a 1×1 projection shortcut, global average pool,
     * linear 32→10; takes [N, 1, H, W].
     */
    public static Sequential resnetMini(long seed) {
        return new Sequential(
                new Conv2d(1, 16, 3, 1, 1, false, Init.derive(seed, 0)), new BatchNorm2d(16), new ReLU(),
                new ResidualBlock(16, 16, 1, Init.derive(seed, 3)),
                new ResidualBlock(16, 16, 1, Init.derive(seed, 4)),
                new ResidualBlock(16, 32, 2, Init.derive(seed, 5)),
                new GlobalAvgPool(),
                new Linear(32, 10, Init.derive(seed, 7)));
    }

    /**
     * The model called {@code name}.
     *
     * @throws IllegalArgumentException for an unknown name, listing the valid ones
     */
    public static Sequential byName(String name, long seed) {
        return switch (name) {
            case "mlp" -> mlp(seed);
            case "cnn" -> cnn(seed);
            case "resnet-mini" -> resnetMini(seed);
            default -> throw new IllegalArgumentException("Models.byName: unknown model '" + name + "'; valid names: " + String.join(", ", NAMES));
        };
    }
}
