package dev.lethe.cli;

import dev.lethe.train.Recipe;
import picocli.CommandLine.Option;

/**
 * How the original model (and Retrain) is trained in {@code lethe unlearn} and {@code lethe
 * demo}. The defaults are the reference protocol scaled to Fashion-MNIST: 50 epochs of SGD
 * with momentum 0.9, batch 128, lr 0.1 with cosine decay to 0, no weight decay — with it the
 * MLP memorises its training set, which is what makes random forgetting measurable.
 */
final class RecipeOptions {
    @Option(names = "--epochs", defaultValue = "50", description = "Epochs of the original and of Retrain (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.1", description = "Peak learning rate of the original and Retrain (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--schedule", defaultValue = "cosine", description = "constant or cosine (per batch, to 0) (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "0", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    /** The recipe (its shuffle seed is replaced per seed by the harness). */
    Recipe recipe() {
        return new Recipe(epochs, batch, lr, Recipe.Schedule.parse(schedule), momentum, weightDecay, 0);
    }
}
