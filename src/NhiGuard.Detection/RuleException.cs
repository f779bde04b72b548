using System;

namespace NhiGuard.Detection;

/// <summary>A rule that cannot be used: a bad regex, an unknown validator, a missing field.</summary>
public sealed class RuleException : Exception
{
    public RuleException(string ruleId, string? origin, string message)
        : base((origin is null ? "" : origin + ": ") + "rule '" + ruleId + "': " + message)
    {
        RuleId = ruleId;
        Origin = origin;
    }

    public string RuleId { get; }
    public string? Origin { get; }
}
