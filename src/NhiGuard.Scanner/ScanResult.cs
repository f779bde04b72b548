using NhiGuard.Detection;

namespace NhiGuard.Scanner;

/// <summary>A finding as reported: the detector's finding and, for history scans, its commit.</summary>
public sealed record ReportedFinding(Finding Finding, string? Commit = null)
{
    /// <summary>History scans: the author of the commit that introduced the secret.</summary>
    public string? Author { get; init; }

    public string? AuthorEmail { get; init; }

    /// <summary>History scans: the author date of that commit.</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>History scans: whether the secret is still in the scanned tip (null when there is no tip).</summary>
    public bool? InHead { get; init; }

    /// <summary>The order every report lists findings in: by path, line, column, then rule.</summary>
    internal static IReadOnlyList<ReportedFinding> InReportOrder(IEnumerable<ReportedFinding> findings) => findings
        .OrderBy(f => f.Finding.Path, StringComparer.Ordinal)
        .ThenBy(f => f.Finding.Line)
        .ThenBy(f => f.Finding.Column)
        .ThenBy(f => f.Finding.RuleId, StringComparer.Ordinal)
        .ToList();
}

/// <summary>Everything a reporter needs about one scan.</summary>
public sealed record ScanResult
{
    public required string Root { get; init; }
    public required IReadOnlyList<ReportedFinding> Findings { get; init; }
    public required IReadOnlyList<Rule> Rules { get; init; }
    public required ScanStatistics Statistics { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>What the user must know even without --verbose (history that a shallow clone lacks).</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];

    /// <summary>History scans: how many commits were read; null for other scans.</summary>
    public long? CommitsScanned { get; init; }
    public TimeSpan Duration { get; init; }

    /// <summary>Findings hidden because the baseline has them.</summary>
    public int BaselineHidden { get; init; }

    /// <summary>Baseline entries that match nothing any more (fixed, or moved).</summary>
    public int BaselineStale { get; init; }

    public bool BaselineUsed { get; init; }

    /// <summary>The same result with the baseline's findings hidden and its stale entries counted.</summary>
    public ScanResult WithBaseline(Baseline? baseline)
    {
        if (baseline is null)
        {
            return this;
        }

        var (remaining, hidden, stale) = baseline.Apply(Findings, f => f.Finding.Fingerprint);
        return this with { Findings = remaining, BaselineHidden = hidden, BaselineStale = stale, BaselineUsed = true };
    }
}
