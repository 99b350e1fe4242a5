package dev.lethe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code lethe} command line. Results go to standard output (tables, or JSON with
 * {@code --json}); progress and diagnostics to standard error. Bad arguments print one clear
 * line and exit 2.
 */
@Command(name = "lethe", mixinStandardHelpOptions = true, version = "lethe 0.1.0",
        description = "Tensors, autograd and machine unlearning in pure Java.",
        subcommands = {DemoCommand.class, TrainCommand.class, UnlearnCommand.class, MergeCommand.class, MethodsCommand.class})
public final class Lethe implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new Lethe());
        cli.setOut(new java.io.PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cli.setErr(new java.io.PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cli.setParameterExceptionHandler((ex, argv) -> {
            cli.getErr().println("lethe: " + ex.getMessage());
            cli.getErr().println("(run 'lethe " + (ex.getCommandLine().getCommandName().equals("lethe") ? "" : ex.getCommandLine().getCommandName() + " ") + "--help' for usage)");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException || ex instanceof IllegalStateException) {
                cmd.getErr().println("lethe " + cmd.getCommandName() + ": " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8), System.err));
    }
}
