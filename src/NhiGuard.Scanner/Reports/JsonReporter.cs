using System.Text.Json;

namespace NhiGuard.Scanner.Reports;

/// <summary>
/// The JSON report: a contract other tools (and baselines) rely on. Top-level <c>findings</c>, each
/// with ruleId, title, severity, confidence, path, line, column, endLine, endColumn, secret
/// (redacted unless asked), fingerprint, key and commit; history findings add author, date and
/// inHead, and the summary commitsScanned (additions: version stays 1).
/// </summary>
public sealed class JsonReporter : IReporter
{
    public const int SchemaVersion = 1;

    public void Write(ScanResult result, Stream output, ReportOptions options)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("version", SchemaVersion);
        json.WriteStartObject("tool");
        json.WriteString("name", "nhiguard");
        json.WriteString("version", options.ToolVersion);
        json.WriteEndObject();

        json.WriteStartArray("findings");
        foreach (ReportedFinding r in result.Findings)
        {
            var f = r.Finding;
            json.WriteStartObject();
            json.WriteString("ruleId", f.RuleId);
            json.WriteString("title", f.Title);
            json.WriteString("severity", f.Severity.Lower());
            json.WriteString("confidence", f.Confidence.Lower());
            json.WriteString("path", f.Path);
            json.WriteNumber("line", f.Line);
            json.WriteNumber("column", f.Column);
            json.WriteNumber("endLine", f.EndLine);
            json.WriteNumber("endColumn", f.EndColumn);
            json.WriteString("secret", Reporters.SecretOf(f, options));
            json.WriteString("fingerprint", f.Fingerprint);
            WriteNullable(json, "key", f.Key);
            WriteNullable(json, "commit", r.Commit);
            if (r.Commit is not null)
            {
                WriteNullable(json, "author", r.Author);
                WriteNullable(json, "authorEmail", r.AuthorEmail);
                WriteNullable(json, "date", r.Date?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
                if (r.InHead is { } inHead)
                {
                    json.WriteBoolean("inHead", inHead);
                }
                else
                {
                    json.WriteNull("inHead");
                }
            }
            json.WriteEndObject();
        }

        json.WriteEndArray();

        ScanStatistics s = result.Statistics;
        json.WriteStartObject("summary");
        json.WriteNumber("findings", result.Findings.Count);
        if (result.CommitsScanned is { } commits)
        {
            json.WriteNumber("commitsScanned", commits);
        }

        json.WriteNumber("filesScanned", s.FilesScanned);
        json.WriteNumber("bytesScanned", s.BytesScanned);
        json.WriteNumber("skippedBinary", s.SkippedBinary);
        json.WriteNumber("skippedTooLarge", s.SkippedTooLarge);
        json.WriteNumber("skippedSymlinks", s.SkippedSymlink);
        json.WriteNumber("unreadable", s.Unreadable);
        if (result.BaselineUsed)
        {
            json.WriteNumber("baselineHidden", result.BaselineHidden);
            json.WriteNumber("baselineStale", result.BaselineStale);
        }

        json.WriteNumber("durationMs", (long)result.Duration.TotalMilliseconds);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
