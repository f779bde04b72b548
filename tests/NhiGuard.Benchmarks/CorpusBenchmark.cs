using System.Globalization;
using NhiGuard.TestSupport;

namespace NhiGuard.Benchmarks;

/// <summary>
/// Prints the detection quality over the labelled corpus: per corpus file, per format, overall,
/// then every miss (rule id and place only; secrets are never printed).
/// </summary>
public static class CorpusBenchmark
{
    public static int Run(TextWriter output)
    {
        CorpusReport report = Corpus.Run();
        Table(output, "corpus file", report.Files, report.Overall);
        output.WriteLine();
        Table(output, "format", report.Formats, report.Overall);
        output.WriteLine();
        output.WriteLine(report.Misses.Count == 0 ? "no misses" : $"{report.Misses.Count} misses:");
        foreach (CorpusMiss m in report.Misses.OrderBy(m => m.File, StringComparer.Ordinal).ThenBy(m => m.Line))
        {
            string kind = m.Kind == CorpusMissKind.FalseNegative ? "FN" : "FP";
            output.WriteLine($"  {kind} {m.File}:{m.Line} {m.RuleId} ({m.Path})");
        }

        return 0;
    }

    private static void Table(TextWriter output, string title, IReadOnlyList<CorpusScore> rows, CorpusScore overall)
    {
        int width = Math.Max(title.Length, rows.Select(r => r.Name.Length).DefaultIfEmpty(0).Max()) + 2;
        output.WriteLine($"{title.PadRight(width)}{"cases",7}{"none",7}{"secrets",9}{"TP",6}{"FP",6}{"FN",6}{"precision",11}{"recall",9}{"F1",8}");
        foreach (CorpusScore r in rows.Append(overall))
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{r.Name.PadRight(width)}{r.Cases,7}{r.NoneCases,7}{r.Expected,9}{r.TruePositives,6}{r.FalsePositives,6}{r.FalseNegatives,6}{r.Precision,11:0.000}{r.Recall,9:0.000}{r.F1,8:0.000}"));
        }
    }
}
