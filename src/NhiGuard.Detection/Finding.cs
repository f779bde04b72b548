namespace NhiGuard.Detection;

/// <summary>A secret found in a fragment.</summary>
public sealed record Finding
{
    public string RuleId { get; init; } = "";
    public string Title { get; init; } = "";
    public Severity Severity { get; init; }
    public Confidence Confidence { get; init; }
    public string Path { get; init; } = "";

    /// <summary>Character offset of the secret in the fragment's text.</summary>
    public int Offset { get; init; }
    public int Length { get; init; }

    /// <summary>1-based position of the secret's first character.</summary>
    public int Line { get; init; }
    public int Column { get; init; }

    /// <summary>1-based position just past the secret's last character (SARIF convention).</summary>
    public int EndLine { get; init; }
    public int EndColumn { get; init; }

    /// <summary>The secret in clear. Never print it unless the user asked to see secrets.</summary>
    public string Secret { get; init; } = "";

    public string Fingerprint { get; init; } = "";

    /// <summary>The configuration key that holds the secret, when the file's structure tells.</summary>
    public string? Key { get; init; }

    public string Redacted => Redaction.Redact(Secret);
}
