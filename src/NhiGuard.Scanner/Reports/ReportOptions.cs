namespace NhiGuard.Scanner.Reports;

public sealed record ReportOptions
{
    /// <summary>Print secrets in clear. Off by default: every format redacts.</summary>
    public bool ShowSecrets { get; init; }

    /// <summary>ANSI colour in the text format (a terminal without NO_COLOR).</summary>
    public bool Color { get; init; }

    /// <summary>Text format: findings only, no summary line.</summary>
    public bool Quiet { get; init; }

    public string ToolVersion { get; init; } = typeof(ReportOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}

/// <summary>Writes a scan result in one format.</summary>
public interface IReporter
{
    void Write(ScanResult result, Stream output, ReportOptions options);
}

public static class Reporters
{
    public static readonly IReadOnlyList<string> Formats = ["text", "json", "sarif"];

    public static IReporter For(string format) => format switch
    {
        "text" => new TextReporter(),
        "json" => new JsonReporter(),
        "sarif" => new SarifReporter(),
        _ => throw new ConfigurationException($"unknown format '{format}' (known: {string.Join(", ", Formats)})"),
    };

    internal static string SecretOf(NhiGuard.Detection.Finding f, ReportOptions o) => o.ShowSecrets ? f.Secret : f.Redacted;

    internal static string Lower(this NhiGuard.Detection.Severity s) => s.ToString().ToLowerInvariant();

    internal static string Lower(this NhiGuard.Detection.Confidence c) => c.ToString().ToLowerInvariant();
}
