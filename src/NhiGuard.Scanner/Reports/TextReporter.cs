using System.Text;
using NhiGuard.Detection;

namespace NhiGuard.Scanner.Reports;

/// <summary>Findings grouped by file, coloured on a terminal, then one summary line.</summary>
public sealed class TextReporter : IReporter
{
    public void Write(ScanResult result, Stream output, ReportOptions options)
    {
        using var w = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        var c = new Ansi(options.Color);
        foreach (var group in result.Findings.GroupBy(f => f.Finding.Path))
        {
            w.WriteLine(c.Bold(Printable.Of(group.Key)));
            foreach (ReportedFinding r in group)
            {
                Finding f = r.Finding;
                var line = new StringBuilder("  ");
                line.Append(c.Dim($"{f.Line}:{f.Column}".PadRight(9)));
                line.Append(c.Severity(f.Severity, f.Severity.Lower().PadRight(9)));
                line.Append(Printable.Of(f.RuleId)).Append("  ").Append(Printable.Of(f.Title));
                line.Append("  ").Append(c.Bold(Printable.Of(Reporters.SecretOf(f, options))));
                if (f.Key is not null)
                {
                    line.Append(c.Dim($"  key: {Printable.Of(f.Key)}"));
                }

                if (r.Commit is not null)
                {
                    line.Append(c.Dim($"  commit: {r.Commit[..Math.Min(12, r.Commit.Length)]}"));
                    if (r.Author is not null)
                    {
                        line.Append(c.Dim($" by {Printable.Of(r.Author)}"));
                    }

                    if (r.Date is { } date)
                    {
                        line.Append(c.Dim($" on {date:yyyy-MM-dd}"));
                    }

                    if (r.InHead is { } inHead)
                    {
                        line.Append(inHead ? c.Red("  still in HEAD") : c.Dim("  removed since"));
                    }
                }

                w.WriteLine(line.ToString());
            }

            w.WriteLine();
        }

        if (!options.Quiet)
        {
            w.WriteLine(Summary(result, c));
        }
    }

    /// <summary>The one summary line, uncoloured.</summary>
    public static string Summary(ScanResult result) => Summary(result, new Ansi(false));

    internal static string Summary(ScanResult result, Ansi c)
    {
        ScanStatistics s = result.Statistics;
        var sb = new StringBuilder();
        int n = result.Findings.Count;
        if (n == 0)
        {
            sb.Append(c.Green("No secrets found"));
        }
        else
        {
            var bySeverity = result.Findings.GroupBy(f => f.Finding.Severity).OrderByDescending(g => g.Key)
                .Select(g => $"{g.Count()} {g.Key.Lower()}");
            int files = result.Findings.Select(f => f.Finding.Path).Distinct().Count();
            sb.Append(c.Red($"{n} secret{(n == 1 ? "" : "s")} found")).Append($" ({string.Join(", ", bySeverity)}) in {files} file{(files == 1 ? "" : "s")}");
        }

        if (result.CommitsScanned is { } commits)
        {
            sb.Append($"; {commits} commit{(commits == 1 ? "" : "s")}, {s.FilesScanned} blob{(s.FilesScanned == 1 ? "" : "s")} ({Megabytes(s.BytesScanned)}) scanned in {result.Duration.TotalSeconds:0.00} s");
        }
        else
        {
            sb.Append($"; {s.FilesScanned} file{(s.FilesScanned == 1 ? "" : "s")} ({Megabytes(s.BytesScanned)}) scanned in {result.Duration.TotalSeconds:0.00} s");
        }
        long skipped = s.SkippedBinary + s.SkippedTooLarge + s.SkippedSymlink + s.Unreadable;
        if (skipped > 0)
        {
            var parts = new List<string>();
            if (s.SkippedBinary > 0) parts.Add($"{s.SkippedBinary} binary");
            if (s.SkippedTooLarge > 0) parts.Add($"{s.SkippedTooLarge} too large");
            if (s.SkippedSymlink > 0) parts.Add($"{s.SkippedSymlink} symlinks");
            if (s.Unreadable > 0) parts.Add($"{s.Unreadable} unreadable");
            sb.Append($", {skipped} skipped ({string.Join(", ", parts)})");
        }

        if (result.BaselineUsed)
        {
            sb.Append($"; baseline hid {result.BaselineHidden}, {result.BaselineStale} baseline entr{(result.BaselineStale == 1 ? "y" : "ies")} no longer match");
        }

        return sb.ToString();
    }

    private static string Megabytes(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / 1048576.0:0.0} MB" : $"{bytes / 1024.0:0.0} KB";
}

/// <summary>ANSI colour, or plain text when colour is off.</summary>
internal sealed class Ansi(bool enabled)
{
    public string Bold(string s) => Wrap("1", s);
    public string Dim(string s) => Wrap("2", s);
    public string Red(string s) => Wrap("31", s);
    public string Green(string s) => Wrap("32", s);

    public string Severity(Severity severity, string s) => Wrap(severity switch
    {
        Detection.Severity.Critical => "1;31",
        Detection.Severity.High => "31",
        Detection.Severity.Medium => "33",
        _ => "36",
    }, s);

    private string Wrap(string code, string s) => enabled ? $"\u001b[{code}m{s}\u001b[0m" : s;
}
