using System.CommandLine;
using NhiGuard.Scanner;
using NhiGuard.Scanner.Git;

namespace NhiGuard.Cli;

internal static partial class CliApp
{
    private static Command HistoryCommand()
    {
        var repo = new RepositoryOptions("blobs");
        var since = new Option<string?>("--since") { Description = "Only commits after REV (not reachable from it), up to HEAD or --branch; or a range A..B." };
        var branch = new Option<string?>("--branch") { Description = "Only commits reachable from this branch (default: from every ref)." };
        var maxCommits = new Option<int?>("--max-commits") { Description = "Only the newest N commits (of those --since and --branch select)." };
        var report = new ReportingOptions();

        var command = new Command(
            "history",
            "Scan a repository's history: every commit reachable from any ref (or a range); each secret is reported once, at the commit that introduced it, with whether it is still in HEAD.");
        repo.AddTo(command, since, branch, maxCommits);
        report.AddTo(command);
        command.SetAction(parse =>
        {
            string path = parse.GetValue(repo.Repository)!;
            int? max = parse.GetValue(maxCommits);
            if (max is <= 0)
            {
                throw new ConfigurationException($"--max-commits: '{max}' is not a positive number");
            }

            Baseline? baseline = report.LoadBaseline(parse);
            ScanConfig effective = repo.ResolveConfig(parse);
            using var progress = ProgressLine.ForStandardError(enabled: !parse.GetValue(report.Quiet));
            var options = new HistoryOptions
            {
                Since = parse.GetValue(since),
                Branch = parse.GetValue(branch),
                MaxCommits = max,
                MaxFileSize = ParseSize(parse.GetValue(repo.MaxFileSize)!),
                Baseline = baseline,
                Progress = progress is null ? null : p => progress.Show(Describe(p)),
            };
            ScanResult result = new HistoryScanner(effective, options).Scan(path, Context.Cancellation);
            progress?.Clear();
            PrintWarnings(result, parse.GetValue(repo.Verbose));
            return report.Write(parse, result);
        });
        return command;
    }

    private static string Describe(HistoryProgress p)
    {
        double seconds = Math.Max(p.Elapsed.TotalSeconds, 0.001);
        string total = p.TotalCommits is { } t ? $"/{t:N0}" : "";
        return $"{p.Commits:N0}{total} commits, {p.Commits / seconds:N0} commits/s, {p.Bytes / 1048576.0 / seconds:0.0} MB/s, {p.Findings} finding{(p.Findings == 1 ? "" : "s")} so far";
    }
}
