package dev.lethe.cli;

import dev.lethe.unlearn.methods.Hyperparameter;
import dev.lethe.unlearn.methods.MethodSpec;
import dev.lethe.unlearn.methods.Methods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code lethe methods}: every unlearning method with its hyperparameters, their defaults and
 * meaning — what {@code lethe unlearn --set METHOD.KEY=VALUE} can change.
 */
@Command(name = "methods", mixinStandardHelpOptions = true,
        description = {"List the unlearning methods and their hyperparameters with defaults.",
                "Override one with 'lethe unlearn --set METHOD.KEY=VALUE'; several comma-separated values sweep it (one row each)."})
final class MethodsCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "METHOD", description = "Only these methods (default: all).")
    List<String> only;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<MethodSpec> specs = only == null || only.isEmpty() ? Methods.SPECS : only.stream().map(Methods::spec).toList();
        for (MethodSpec s : specs) {
            out.println(s.name() + " — " + s.summary());
            if (s.hyperparameters().isEmpty()) out.println("    (no hyperparameters: it follows the original's training recipe, --epochs, --lr, ...)");
            int width = s.hyperparameters().stream().mapToInt(h -> h.key().length() + h.defaultValue().length() + 1).max().orElse(0);
            for (Hyperparameter h : s.hyperparameters()) {
                String kv = h.key() + "=" + h.defaultValue();
                out.println("    " + kv + " ".repeat(width - kv.length() + 2) + h.meaning());
            }
            out.println();
        }
        out.println("Lists (':'-separated) are candidates a method chooses from per request; --set values separated by ',' are a sweep.");
        out.flush();
        return 0;
    }
}
