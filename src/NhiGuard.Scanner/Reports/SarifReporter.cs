using System.Globalization;
using System.Text.Json;
using NhiGuard.Detection;

namespace NhiGuard.Scanner.Reports;

/// <summary>
/// SARIF 2.1.0 as GitHub code scanning reads it: rules with help text and security-severity,
/// results with relative URIs against <c>%SRCROOT%</c> and <c>partialFingerprints</c>.
/// </summary>
public sealed class SarifReporter : IReporter
{
    private const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
    private const string InformationUri = "https://github.com/nhiguard/nhiguard";

    public void Write(ScanResult result, Stream output, ReportOptions options)
    {
        var rulesById = result.Rules.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var used = result.Findings.Select(f => f.Finding.RuleId).Distinct().Order(StringComparer.Ordinal).ToList();
        var index = used.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);

        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("$schema", SchemaUri);
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();

        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "NhiGuard");
        json.WriteString("semanticVersion", options.ToolVersion);
        json.WriteString("informationUri", InformationUri);
        json.WriteStartArray("rules");
        foreach (string id in used)
        {
            Rule? rule = rulesById.GetValueOrDefault(id);
            WriteRule(json, id, rule, result.Findings.First(f => f.Finding.RuleId == id).Finding);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartObject("originalUriBaseIds");
        json.WriteStartObject("%SRCROOT%");
        json.WriteString("uri", new Uri(result.Root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar).AbsoluteUri);
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartArray("results");
        foreach (ReportedFinding r in result.Findings)
        {
            WriteResult(json, r, index[r.Finding.RuleId], options);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter json, string id, Rule? rule, Finding sample)
    {
        string title = rule?.Title ?? sample.Title;
        string description = rule is { Description.Length: > 0 } ? rule.Description : title + ".";
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("name", PascalCase(id));
        json.WriteStartObject("shortDescription");
        json.WriteString("text", title);
        json.WriteEndObject();
        json.WriteStartObject("fullDescription");
        json.WriteString("text", description);
        json.WriteEndObject();
        json.WriteStartObject("help");
        string help = $"{description} Remove the secret from the code, revoke and rotate it at the provider, and load it at run time from a secret store or the environment.";
        json.WriteString("text", help);
        json.WriteString("markdown", $"**{title}**\n\n{help}\n\nTo accept a finding, add `nhiguard:allow` on its line or record it in a baseline (`nhiguard baseline`).");
        json.WriteEndObject();
        json.WriteStartObject("defaultConfiguration");
        json.WriteString("level", Level(sample.Severity));
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteStartArray("tags");
        json.WriteStringValue("security");
        json.WriteStringValue("secret");
        json.WriteStringValue("external/cwe/cwe-798");
        json.WriteEndArray();
        json.WriteString("security-severity", SecuritySeverity(sample.Severity));
        json.WriteString("precision", sample.Confidence switch { Confidence.High => "very-high", Confidence.Medium => "high", _ => "medium" });
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, ReportedFinding r, int ruleIndex, ReportOptions options)
    {
        Finding f = r.Finding;
        json.WriteStartObject();
        json.WriteString("ruleId", f.RuleId);
        json.WriteNumber("ruleIndex", ruleIndex);
        json.WriteString("level", Level(f.Severity));
        json.WriteStartObject("message");
        string where = f.Key is null ? "" : $" in '{f.Key}'";
        string commit = r.Commit is null ? "" : $" (commit {r.Commit[..Math.Min(12, r.Commit.Length)]}{InHeadText(r.InHead)})";
        json.WriteString("text", $"{f.Title}{where}: {Reporters.SecretOf(f, options)}{commit}");
        json.WriteEndObject();
        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        json.WriteString("uri", EscapePath(f.Path));
        json.WriteString("uriBaseId", "%SRCROOT%");
        json.WriteEndObject();
        json.WriteStartObject("region");
        json.WriteNumber("startLine", f.Line);
        json.WriteNumber("startColumn", f.Column);
        json.WriteNumber("endLine", f.EndLine);
        json.WriteNumber("endColumn", f.EndColumn);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("partialFingerprints");
        json.WriteString("nhiguardFingerprint/v1", f.Fingerprint);
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteString("confidence", f.Confidence.Lower());
        if (f.Key is not null)
        {
            json.WriteString("key", f.Key);
        }

        if (r.Commit is not null)
        {
            json.WriteString("commit", r.Commit);
            if (r.Author is not null)
            {
                json.WriteString("author", r.Author);
            }

            if (r.AuthorEmail is not null)
            {
                json.WriteString("authorEmail", r.AuthorEmail);
            }

            if (r.Date is { } date)
            {
                json.WriteString("date", date.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            }

            if (r.InHead is { } inHead)
            {
                json.WriteBoolean("inHead", inHead);
            }
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    internal static string InHeadText(bool? inHead) => inHead switch
    {
        true => ", still in HEAD",
        false => ", removed since",
        null => "",
    };

    private static string Level(Severity s) => s >= Severity.High ? "error" : s == Severity.Medium ? "warning" : "note";

    private static string SecuritySeverity(Severity s) => (s switch
    {
        Severity.Critical => 9.5,
        Severity.High => 8.0,
        Severity.Medium => 5.5,
        _ => 3.0,
    }).ToString("0.0", CultureInfo.InvariantCulture);

    private static string PascalCase(string id) =>
        string.Concat(id.Split('-').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    private static string EscapePath(string path) =>
        string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
