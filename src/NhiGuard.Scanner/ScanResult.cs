using NhiGuard.Detection;

namespace NhiGuard.Scanner;

/// <summary>A finding as reported: the detector's finding and, for history scans, its commit.</summary>
public sealed record ReportedFinding(Finding Finding, string? Commit = null);

/// <summary>Everything a reporter needs about one scan.</summary>
public sealed record ScanResult
{
    public required string Root { get; init; }
    public required IReadOnlyList<ReportedFinding> Findings { get; init; }
    public required IReadOnlyList<Rule> Rules { get; init; }
    public required ScanStatistics Statistics { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public TimeSpan Duration { get; init; }

    /// <summary>Findings hidden because the baseline has them.</summary>
    public int BaselineHidden { get; init; }

    /// <summary>Baseline entries that match nothing any more (fixed, or moved).</summary>
    public int BaselineStale { get; init; }

    public bool BaselineUsed { get; init; }
}
