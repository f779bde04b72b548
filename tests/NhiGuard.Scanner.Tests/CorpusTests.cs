using NhiGuard.Scanner.Rules;
using NhiGuard.TestSupport;

namespace NhiGuard.Scanner.Tests;

/// <summary>
/// The labelled corpus as a quality gate: the scanner over the current rules/*.yaml must find the
/// labelled secrets and stay quiet on the near misses.
/// </summary>
public sealed class CorpusTests
{
    private const double MinimumPrecision = 0.95;
    private const double MinimumRecall = 0.95;

    private static readonly IReadOnlyList<CorpusCase> Cases = Corpus.ReadDirectory(RepositoryPaths.Corpus);

    [Fact]
    public void CorpusIsLargeEnough()
    {
        int expected = Cases.Sum(c => c.Expected.Count);
        int none = Cases.Count(c => c.Expected.Count == 0);
        Assert.True(expected >= 300, $"the corpus labels {expected} secrets; it needs at least 300");
        Assert.True(none >= 300, $"the corpus has {none} 'expect: none' cases; it needs at least 300");
    }

    [Fact]
    public void ExpectedRuleIdsExist()
    {
        // A renamed or removed rule would otherwise show up only as unexplained false negatives.
        var ids = RuleCatalog.ReadDirectory(RepositoryPaths.Rules).Select(d => d.Rule.Id).ToHashSet(StringComparer.Ordinal);
        var unknown = Cases
            .SelectMany(c => c.Expected.Where(id => !ids.Contains(id)).Select(id => $"{c.File}:{c.HeaderLine}: {id}"))
            .ToList();
        Assert.True(unknown.Count == 0, "unknown rule ids in the corpus:\n" + string.Join("\n", unknown));
    }

    [Fact]
    public void PrecisionAndRecallMeetTheBar()
    {
        CorpusReport report = Corpus.Score(Cases, Corpus.CatalogScanner());
        CorpusScore all = report.Overall;
        string misses = string.Join("\n", report.Misses.Select(m =>
            $"  {(m.Kind == CorpusMissKind.FalseNegative ? "missed" : "extra ")} {m.RuleId} in {m.Path} ({m.File}:{m.Line})"));
        Assert.True(
            all.Precision >= MinimumPrecision && all.Recall >= MinimumRecall,
            $"precision {all.Precision:P1} (min {MinimumPrecision:P0}), recall {all.Recall:P1} (min {MinimumRecall:P0}); "
            + $"TP {all.TruePositives}, FP {all.FalsePositives}, FN {all.FalseNegatives}\n{misses}");
    }
}
