using System.CommandLine;
using NhiGuard.Scanner;
using NhiGuard.Scanner.Git;

namespace NhiGuard.Cli;

internal static partial class CliApp
{
    private static Command StagedCommand()
    {
        var repo = new RepositoryOptions("staged files");
        var report = new ReportingOptions();

        var command = new Command("staged", "Scan what 'git commit' would record (the index against HEAD); exit 1 when it adds a secret. Run by the pre-commit hook.");
        repo.AddTo(command);
        report.AddTo(command);
        command.SetAction(parse =>
        {
            Baseline? baseline = report.LoadBaseline(parse);
            ScanResult result = new StagedScanner(repo.ResolveConfig(parse), ParseSize(parse.GetValue(repo.MaxFileSize)!)).Scan(parse.GetValue(repo.Repository)!, Context.Cancellation)
                .WithBaseline(baseline);

            PrintWarnings(result, parse.GetValue(repo.Verbose));
            int code = report.Write(parse, result);
            if (result.Findings.Count > 0 && !parse.GetValue(report.Quiet))
            {
                int n = result.Findings.Count;
                Console.Error.WriteLine(
                    $"nhiguard: commit blocked: the staged changes add {n} secret{(n == 1 ? "" : "s")}. Remove {(n == 1 ? "it" : "them")}, 'git add' again, and rotate any that was ever pushed. "
                    + "False positive: add 'nhiguard:allow' on the line. Skip the check once: git commit --no-verify");
            }

            return code;
        });
        return command;
    }

    private static Command HookCommand()
    {
        var hook = new Command("hook", "Install or remove the git pre-commit hook that runs 'nhiguard staged'.");

        var installRepository = new Argument<string>("repo") { Description = "The repository (or a folder in it).", DefaultValueFactory = _ => "." };
        var force = new Option<bool>("--force") { Description = "Replace a pre-commit hook that nhiguard did not write (it is kept as pre-commit.before-nhiguard)." };
        var install = new Command("install", "Write a pre-commit hook that runs 'nhiguard staged'; an existing hook is kept unless --force.");
        install.Arguments.Add(installRepository);
        install.Options.Add(force);
        install.SetAction(parse =>
        {
            (string command, string existsTest) = SelfCommand();
            HookOutcome outcome = HookInstaller.Install(parse.GetValue(installRepository)!, parse.GetValue(force), command, existsTest);
            Console.Error.WriteLine("nhiguard: " + outcome.Message);
            return ExitCodes.Clean;
        });

        var uninstallRepository = new Argument<string>("repo") { Description = "The repository (or a folder in it).", DefaultValueFactory = _ => "." };
        var uninstall = new Command("uninstall", "Remove the pre-commit hook nhiguard wrote (and put back the one it replaced).");
        uninstall.Arguments.Add(uninstallRepository);
        uninstall.SetAction(parse =>
        {
            HookOutcome outcome = HookInstaller.Uninstall(parse.GetValue(uninstallRepository)!);
            Console.Error.WriteLine("nhiguard: " + outcome.Message);
            return ExitCodes.Clean;
        });

        hook.Subcommands.Add(install);
        hook.Subcommands.Add(uninstall);
        return hook;
    }

    // How the hook starts this very nhiguard: the apphost (a .NET tool's shim), or dotnet with the dll.
    private static (string Command, string ExistsTest) SelfCommand()
    {
        string process = Environment.ProcessPath ?? "nhiguard";

        // A platform's package of the tool runs from the tool store (<tool path>/.store/<id>/<version>/...):
        // the hook calls the tool path's own entry to it instead, which 'dotnet tool update' keeps.
        int store = process.Replace('\\', '/').IndexOf("/.store/", StringComparison.Ordinal);
        if (store > 0 && Path.Combine(process[..store], Path.GetFileName(process)) is { } entry && File.Exists(entry))
        {
            process = entry;
        }

        string dll = typeof(CliApp).Assembly.Location;
        string name = Path.GetFileNameWithoutExtension(process);
        if (name.Equals("dotnet", StringComparison.OrdinalIgnoreCase) && dll.Length > 0)
        {
            return ($"{ShellQuote(process)} {ShellQuote(dll)}", $"-f {ShellQuote(dll)}");
        }

        return (ShellQuote(process), $"-x {ShellQuote(process)}");
    }

    private static string ShellQuote(string s) => "'" + s.Replace("\\", "/").Replace("'", "'\\''") + "'";
}
