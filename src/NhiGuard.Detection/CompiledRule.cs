using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace NhiGuard.Detection;

/// <summary>A rule with its regexes built and its fields checked.</summary>
internal sealed class CompiledRule
{
    public CompiledRule(Rule rule, TimeSpan timeout)
    {
        Rule = rule;
        if (string.IsNullOrWhiteSpace(rule.Id))
        {
            throw new RuleException("?", rule.Origin, "a rule needs an id");
        }

        if (rule.Regex is null && rule.Path is null)
        {
            throw new RuleException(rule.Id, rule.Origin, "a rule needs a regex or a path");
        }

        if (rule.Checksum is not null && !Checksums.IsKnown(rule.Checksum))
        {
            throw new RuleException(rule.Id, rule.Origin, $"unknown checksum validator '{rule.Checksum}' (known: {string.Join(", ", Checksums.Names)})");
        }

        if (rule.Regex is not null)
        {
            Regex = LinearRegex.Create(rule.Regex, timeout, rule.Id, rule.Origin, "regex");
        }

        if (rule.Path is not null)
        {
            PathGlob = new Glob(rule.Path);
        }

        Allow = new CompiledAllowlist(rule.Allow, rule.Id, rule.Origin, timeout);
    }

    public Rule Rule { get; }
    public Regex? Regex { get; }
    public Glob? PathGlob { get; }
    public CompiledAllowlist Allow { get; }

    public bool AppliesTo(string path) => (PathGlob is null || PathGlob.IsMatch(path)) && !Allow.AllowsPath(path);

    /// <summary>Applies entropy, checksum, placeholder and allowlist filters to one match.</summary>
    public bool Accepts(string secret, CompiledAllowlist global, out Confidence confidence)
    {
        confidence = Rule.Confidence;
        if (Rule.Entropy is double min && Entropy.Shannon(secret) < min)
        {
            return false;
        }

        if (Rule.Checksum is not null)
        {
            if (!Checksums.IsValid(Rule.Checksum, secret))
            {
                return false;
            }

            confidence = Confidence.High;
        }

        return !Placeholders.IsPlaceholder(secret) && !Allow.AllowsSecret(secret) && !global.AllowsSecret(secret);
    }
}

/// <summary>An allowlist with its regexes and globs built.</summary>
internal sealed class CompiledAllowlist
{
    private readonly Regex[] _regexes;
    private readonly string[] _stopwords;
    private readonly Glob[] _paths;

    public CompiledAllowlist(RuleAllowlist allow, string owner, string? origin, TimeSpan timeout)
    {
        _regexes = allow.Regexes.Select(r => LinearRegex.Create(r, timeout, owner, origin, "allow regex")).ToArray();
        _stopwords = allow.Stopwords.Where(s => s.Length > 0).ToArray();
        _paths = allow.Paths.Select(p => new Glob(p)).ToArray();
    }

    public bool AllowsPath(string path) => _paths.Any(g => g.IsMatch(path));

    public bool AllowsSecret(string secret)
    {
        foreach (string s in _stopwords)
        {
            if (secret.IndexOf(s, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        foreach (Regex r in _regexes)
        {
            try
            {
                if (r.IsMatch(secret))
                {
                    return true;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // An allow regex that cannot decide does not allow.
            }
        }

        return false;
    }
}

/// <summary>
/// Builds regexes that cannot backtrack catastrophically: NonBacktracking where the runtime has it
/// and the pattern allows it, otherwise the backtracking engine under a timeout.
/// </summary>
internal static class LinearRegex
{
    public static Regex Create(string pattern, TimeSpan timeout, string owner, string? origin, string what)
    {
        const RegexOptions common = RegexOptions.CultureInvariant;
        try
        {
#if NET
            try
            {
                return new Regex(pattern, common | RegexOptions.NonBacktracking, timeout);
            }
            catch (NotSupportedException)
            {
                // Lookarounds, backreferences or atomic groups: fall back to a bounded backtracking run.
            }
#endif
            return new Regex(pattern, common, timeout);
        }
        catch (ArgumentException e)
        {
            throw new RuleException(owner, origin, $"invalid {what} '{pattern}': {e.Message}");
        }
    }
}
