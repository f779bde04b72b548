using System.CommandLine;
using NhiGuard.Scanner;
using NhiGuard.Scanner.Rules;

namespace NhiGuard.Cli;

/// <summary>The command line: parsing, exit codes and the one-line error message; no detection logic.</summary>
internal static class CliApp
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("NhiGuard: finds leaked credentials of non-human identities in code, config and git history.");
        root.Subcommands.Add(RulesCommand());
        try
        {
            return root.Parse(args).Invoke();
        }
        catch (ConfigurationException e)
        {
            Console.Error.WriteLine("nhiguard: " + e.Message);
            return ExitCodes.Error;
        }
    }

    private static Command RulesCommand()
    {
        var rules = new Command("rules", "List the built-in rules or test rule files' examples.");
        var files = new Argument<string[]>("files") { Description = "Rule files (catalog schema) whose examples to run.", Arity = ArgumentArity.OneOrMore };
        var test = new Command("test", "Run the examples of every rule in the given files; exit 1 when one misbehaves.");
        test.Arguments.Add(files);
        test.SetAction(parse =>
        {
            var definitions = parse.GetValue(files)!.SelectMany(RuleFileReader.ReadFile).ToList();
            var failures = RuleExampleRunner.Check(definitions);
            foreach (string f in failures)
            {
                Console.Out.WriteLine(f);
            }

            Console.Out.WriteLine($"{definitions.Count} rules, {failures.Count} failures");
            return failures.Count == 0 ? ExitCodes.Clean : ExitCodes.Findings;
        });
        rules.Subcommands.Add(test);
        return rules;
    }
}

internal static class ExitCodes
{
    public const int Clean = 0;
    public const int Findings = 1;
    public const int Error = 2;
}
