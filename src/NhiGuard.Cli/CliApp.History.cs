using System.CommandLine;
using NhiGuard.Scanner;
using NhiGuard.Scanner.Git;

namespace NhiGuard.Cli;

internal static partial class CliApp
{
    private static Command HistoryCommand()
    {
        var repository = new Argument<string>("repo") { Description = "The repository (or a folder in it).", DefaultValueFactory = _ => "." };
        var since = new Option<string?>("--since") { Description = "Only commits after REV (not reachable from it), up to HEAD or --branch; or a range A..B." };
        var branch = new Option<string?>("--branch") { Description = "Only commits reachable from this branch (default: from every ref)." };
        var maxCommits = new Option<int?>("--max-commits") { Description = "Only the newest N commits (of those --since and --branch select)." };
        var config = new Option<string?>("--config", "-c") { Description = $"Config file (default: {ScanConfig.DefaultFileName} in REPO, when present)." };
        var maxFileSize = new Option<string>("--max-file-size") { Description = "Skip (and count) blobs larger than this: bytes, or with KB/MB/GB.", DefaultValueFactory = _ => "10MB" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print every skipped blob and warning on stderr." };
        var report = new ReportingOptions();

        var command = new Command(
            "history",
            "Scan a repository's history: every commit reachable from any ref (or a range); each secret is reported once, at the commit that introduced it, with whether it is still in HEAD.");
        command.Arguments.Add(repository);
        command.Options.Add(since);
        command.Options.Add(branch);
        command.Options.Add(maxCommits);
        command.Options.Add(config);
        command.Options.Add(maxFileSize);
        command.Options.Add(verbose);
        report.AddTo(command);
        command.SetAction(parse =>
        {
            string path = parse.GetValue(repository)!;
            int? max = parse.GetValue(maxCommits);
            if (max is <= 0)
            {
                throw new ConfigurationException($"--max-commits: '{max}' is not a positive number");
            }

            Baseline? baseline = report.LoadBaseline(parse);
            ScanConfig effective = ScanConfig.Resolve(parse.GetValue(config), Directory.Exists(path) ? path : ".");
            using var progress = ProgressLine.ForStandardError(enabled: !parse.GetValue(report.Quiet));
            var options = new HistoryOptions
            {
                Since = parse.GetValue(since),
                Branch = parse.GetValue(branch),
                MaxCommits = max,
                MaxFileSize = ParseSize(parse.GetValue(maxFileSize)!),
                Baseline = baseline,
                Progress = progress is null ? null : p => progress.Show(Describe(p)),
            };
            ScanResult result = new HistoryScanner(effective, options).Scan(path, Context.Cancellation);
            progress?.Clear();
            PrintWarnings(result, parse.GetValue(verbose));
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
