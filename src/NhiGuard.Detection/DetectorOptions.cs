using System;

namespace NhiGuard.Detection;

public sealed record DetectorOptions
{
    public static readonly DetectorOptions Default = new();

    /// <summary>Values that are never findings of any rule (regexes, stopwords, path globs).</summary>
    public RuleAllowlist Allow { get; init; } = RuleAllowlist.Empty;

    /// <summary>Honour <c>nhiguard:allow</c> and <c>nhiguard:allow-next-line</c> comments.</summary>
    public bool InlineAllows { get; init; } = true;

    /// <summary>Upper bound on one regex evaluation, for regexes that cannot run in linear time.</summary>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
