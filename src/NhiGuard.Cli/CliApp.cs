using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;
using NhiGuard.Scanner;
using NhiGuard.Scanner.Reports;
using NhiGuard.Scanner.Rules;

namespace NhiGuard.Cli;

/// <summary>The command line: parsing, exit codes and the one-line error message; no detection logic.</summary>
internal static partial class CliApp
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("NhiGuard finds leaked credentials of non-human identities (OAuth client secrets, API keys, tokens, private keys) in code and configuration.");
        root.Subcommands.Add(ScanCommand());
        root.Subcommands.Add(BaselineCommand());
        root.Subcommands.Add(RulesCommand());
        root.Subcommands.Add(HistoryCommand());
        root.Subcommands.Add(StagedCommand());
        root.Subcommands.Add(HookCommand());

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        try
        {
            ParseResult parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors)
                {
                    Console.Error.WriteLine("nhiguard: " + error.Message.Replace(":\n\t", ": ").Replace("\n\t", ", ").Replace('\n', ' '));
                }

                Console.Error.WriteLine("Run 'nhiguard --help' for usage.");
                return ExitCodes.Error;
            }

            Context.Cancellation = cancellation.Token;
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (ConfigurationException e)
        {
            Console.Error.WriteLine("nhiguard: " + Printable.Of(e.Message));
            return ExitCodes.Error;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("nhiguard: interrupted; no report written");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("NHIGUARD_DEBUG") is null)
        {
            Console.Error.WriteLine($"nhiguard: internal error ({e.GetType().Name}): {Printable.Of(e.Message.Split('\n')[0])}");
            return ExitCodes.Error;
        }
    }

    private static class Context
    {
        public static CancellationToken Cancellation { get; set; }
    }

    private sealed class CommonOptions
    {
        public readonly Argument<string> Path = new("path") { Description = "Folder, repository or file to scan.", DefaultValueFactory = _ => "." };
        public readonly Option<string?> Config = new("--config", "-c") { Description = $"Config file (default: {ScanConfig.DefaultFileName} at the scanned root, when present)." };
        public readonly Option<bool> NoGit = new("--no-git") { Description = "Walk every file, even in a git work tree (by default: tracked and untracked-but-not-ignored files)." };
        public readonly Option<string> MaxFileSize = new("--max-file-size") { Description = "Skip (and count) files larger than this: bytes, or with KB/MB/GB.", DefaultValueFactory = _ => "10MB" };
        public readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Print every skipped file and warning on stderr." };

        public void AddTo(Command command)
        {
            command.Arguments.Add(Path);
            command.Options.Add(Config);
            command.Options.Add(NoGit);
            command.Options.Add(MaxFileSize);
            command.Options.Add(Verbose);
        }

        public ScanResult Run(ParseResult parse, Baseline? baseline)
        {
            string path = parse.GetValue(Path)!;
            if (!System.IO.Path.Exists(path))
            {
                throw new ConfigurationException($"{path}: no such file or folder");
            }

            ScanConfig config = ScanConfig.Resolve(parse.GetValue(Config), path);
            var options = new ScanOptions
            {
                UseGit = !parse.GetValue(NoGit),
                MaxFileSize = ParseSize(parse.GetValue(MaxFileSize)!),
                Baseline = baseline,
            };
            ScanResult result = new WorkingTreeScanner(config, options).Scan(path, Context.Cancellation);
            PrintWarnings(result, parse.GetValue(Verbose));
            return result;
        }
    }

    private static Command ScanCommand()
    {
        var common = new CommonOptions();
        var report = new ReportingOptions();

        var command = new Command("scan", "Scan a working tree, folder or file for leaked credentials.");
        common.AddTo(command);
        report.AddTo(command);
        command.SetAction(parse =>
        {
            ScanResult result = common.Run(parse, report.LoadBaseline(parse));
            return report.Write(parse, result);
        });
        return command;
    }

    /// <summary>What 'history' and 'staged' both take: the repository, its config, a size limit, verbosity.</summary>
    /// <param name="skipped">What the size limit skips ("blobs", "staged files").</param>
    private sealed class RepositoryOptions(string skipped)
    {
        public readonly Argument<string> Repository = new("repo") { Description = "The repository (or a folder in it).", DefaultValueFactory = _ => "." };
        public readonly Option<string?> Config = new("--config", "-c") { Description = $"Config file (default: {ScanConfig.DefaultFileName} in REPO, when present)." };
        public readonly Option<string> MaxFileSize = new("--max-file-size") { Description = $"Skip (and count) {skipped} larger than this: bytes, or with KB/MB/GB.", DefaultValueFactory = _ => "10MB" };
        public readonly Option<bool> Verbose = new("--verbose", "-v") { Description = $"Print every skipped {skipped.TrimEnd('s')} and warning on stderr." };

        public void AddTo(Command command, params Option[] between)
        {
            command.Arguments.Add(Repository);
            foreach (Option option in between)
            {
                command.Options.Add(option);
            }

            command.Options.Add(Config);
            command.Options.Add(MaxFileSize);
            command.Options.Add(Verbose);
        }

        /// <summary>The config: --config, or the one in the repository.</summary>
        public ScanConfig ResolveConfig(ParseResult parse)
        {
            string path = parse.GetValue(Repository)!;
            return ScanConfig.Resolve(parse.GetValue(Config), Directory.Exists(path) ? path : ".");
        }
    }

    /// <summary>The report options that scan, history and staged share, and writing the report.</summary>
    private sealed class ReportingOptions
    {
        public readonly Option<string> Format = new("--format", "-f") { Description = "Report format.", DefaultValueFactory = _ => "text" };
        public readonly Option<string?> Output = new("--output", "-o") { Description = "Write the report to this file (atomically) instead of stdout." };
        public readonly Option<string?> Baseline = new("--baseline", "-b") { Description = "Hide findings recorded in this baseline (a JSON report from 'nhiguard baseline')." };
        public readonly Option<bool> ShowSecrets = new("--show-secrets") { Description = "Print secrets in clear (default: redacted everywhere)." };
        public readonly Option<int> ExitCode = new("--exit-code") { Description = "Exit code when secrets are found.", DefaultValueFactory = _ => ExitCodes.Findings };
        public readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "Print findings only: no summary line, no warnings." };

        public ReportingOptions()
        {
            Format.AcceptOnlyFromAmong([.. Reporters.Formats]);
        }

        public void AddTo(Command command)
        {
            command.Options.Add(Format);
            command.Options.Add(Output);
            command.Options.Add(Baseline);
            command.Options.Add(ShowSecrets);
            command.Options.Add(ExitCode);
            command.Options.Add(Quiet);
        }

        public Baseline? LoadBaseline(ParseResult parse) =>
            parse.GetValue(Baseline) is { } path ? NhiGuard.Scanner.Baseline.Load(path) : null;

        /// <summary>Writes the report where asked and returns the exit code.</summary>
        public int Write(ParseResult parse, ScanResult result)
        {
            string? outputPath = parse.GetValue(Output);
            var reportOptions = new ReportOptions
            {
                ShowSecrets = parse.GetValue(ShowSecrets),
                Quiet = parse.GetValue(Quiet),
                Color = outputPath is null && UseColor(),
            };
            IReporter reporter = Reporters.For(parse.GetValue(Format)!);
            if (outputPath is null)
            {
                using Stream stdout = Console.OpenStandardOutput();
                reporter.Write(result, stdout, reportOptions);
            }
            else
            {
                AtomicFile.Write(outputPath, stream => reporter.Write(result, stream, reportOptions));
                if (!reportOptions.Quiet)
                {
                    Console.Error.WriteLine(TextReporter.Summary(result));
                }
            }

            return result.Findings.Count > 0 ? parse.GetValue(ExitCode) : ExitCodes.Clean;
        }
    }

    private static void PrintWarnings(ScanResult result, bool verbose)
    {
        foreach (string notice in result.Notices)
        {
            Console.Error.WriteLine("nhiguard: " + Printable.Of(notice));
        }

        if (verbose)
        {
            foreach (string w in result.Warnings)
            {
                Console.Error.WriteLine("nhiguard: " + Printable.Of(w));
            }
        }
        else if (result.Warnings.Count > 0)
        {
            Console.Error.WriteLine($"nhiguard: {result.Warnings.Count} warning(s), e.g. {Printable.Of(result.Warnings[0])} (--verbose lists all)");
        }
    }

    private static Command BaselineCommand()
    {
        var common = new CommonOptions();
        var output = new Option<string>("--output", "-o") { Description = "The baseline file to write (a JSON report).", Required = true };
        var command = new Command("baseline", "Record the current findings so that later scans with --baseline report only new ones.");
        common.AddTo(command);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            ScanResult result = common.Run(parse, baseline: null);
            AtomicFile.Write(parse.GetValue(output)!, stream => new JsonReporter().Write(result, stream, new ReportOptions()));
            Console.Error.WriteLine($"nhiguard: baseline of {result.Findings.Count} finding(s) written to {parse.GetValue(output)}");
            return ExitCodes.Clean;
        });
        return command;
    }

    private static Command RulesCommand()
    {
        var rules = new Command("rules", "List the rules in effect, or test rule files' examples.");

        var list = new Command("list", "List the rules in effect (built-in, or as changed by the config file).");
        var config = new Option<string?>("--config", "-c") { Description = "Config file whose rules to list." };
        list.Options.Add(config);
        list.SetAction(parse =>
        {
            string? path = parse.GetValue(config);
            ScanConfig effective = path is null ? ScanConfig.Default : ScanConfig.Load(path);
            foreach (var r in effective.Rules)
            {
                Console.Out.WriteLine($"{r.Id,-44} {r.Severity.ToString().ToLowerInvariant(),-9} {r.Title}");
            }

            Console.Out.WriteLine($"{effective.Rules.Count} rules");
            return ExitCodes.Clean;
        });

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
        rules.Subcommands.Add(list);
        rules.Subcommands.Add(test);
        return rules;
    }

    private static bool UseColor() =>
        !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && Environment.GetEnvironmentVariable("TERM") != "dumb";

    internal static long ParseSize(string text)
    {
        string s = text.Trim().ToUpperInvariant();
        long factor = 1;
        foreach ((string suffix, long f) in new[] { ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10), ("B", 1L) })
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal))
            {
                factor = f;
                s = s[..^suffix.Length].Trim();
                break;
            }
        }

        if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n <= 0)
        {
            throw new ConfigurationException($"--max-file-size: '{text}' is not a size (e.g. 10MB, 512KB, 1048576)");
        }

        return n * factor;
    }
}

internal static class ExitCodes
{
    public const int Clean = 0;
    public const int Findings = 1;
    public const int Error = 2;
    public const int Interrupted = 130;
}
