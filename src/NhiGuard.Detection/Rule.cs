using System;
using System.Collections.Generic;

namespace NhiGuard.Detection;

/// <summary>
/// One detection rule: a keyword-gated regex whose <c>secret</c> group is the credential,
/// with optional entropy floor, checksum validator and rule-level allowlist.
/// </summary>
public sealed record Rule
{
    /// <summary>The name of the regex group that holds the secret.</summary>
    public const string SecretGroup = "secret";

    public string Id { get; init; } = "";
    public string Title { get; init; } = "";
    public string Description { get; init; } = "";
    public Severity Severity { get; init; } = Severity.High;
    public Confidence Confidence { get; init; } = Confidence.Medium;

    /// <summary>Lower-case substrings; the rule runs only on fragments that contain one of them.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = Array.Empty<string>();

    /// <summary>The pattern; null for a rule that matches files by <see cref="Path"/> alone.</summary>
    public string? Regex { get; init; }

    /// <summary>A glob the fragment's path must match for the rule to apply.</summary>
    public string? Path { get; init; }

    /// <summary>Minimum Shannon entropy (bits per character) of the secret.</summary>
    public double? Entropy { get; init; }

    /// <summary>Name of a checksum validator (see <see cref="Checksums.Names"/>).</summary>
    public string? Checksum { get; init; }

    public RuleAllowlist Allow { get; init; } = RuleAllowlist.Empty;

    public IReadOnlyList<string> SecretExamples { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> NotSecretExamples { get; init; } = Array.Empty<string>();

    /// <summary>Where the rule was declared (file:line), for error messages.</summary>
    public string? Origin { get; init; }

    /// <summary>
    /// Set only by the generated catalog, whose patterns the test suite has already compiled:
    /// such rules skip the up-front parse that catches a user's bad regex at load time.
    /// </summary>
    public bool IsBuiltIn { get; internal init; }
}

/// <summary>Values that are never findings of a rule (or of any rule, at detector level).</summary>
public sealed record RuleAllowlist
{
    public static readonly RuleAllowlist Empty = new();

    /// <summary>Regexes tested against the secret.</summary>
    public IReadOnlyList<string> Regexes { get; init; } = Array.Empty<string>();

    /// <summary>Case-insensitive substrings of the secret.</summary>
    public IReadOnlyList<string> Stopwords { get; init; } = Array.Empty<string>();

    /// <summary>Globs of paths where the rule does not apply.</summary>
    public IReadOnlyList<string> Paths { get; init; } = Array.Empty<string>();

    public bool IsEmpty => Regexes.Count == 0 && Stopwords.Count == 0 && Paths.Count == 0;
}
