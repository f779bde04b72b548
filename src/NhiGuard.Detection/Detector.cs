using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace NhiGuard.Detection;

/// <summary>
/// Finds secrets in fragments. Built once per rule set; immutable and safe to share between threads.
/// </summary>
public sealed class Detector
{
    private readonly CompiledRule[] _rules;
    private readonly KeywordPrefilter _prefilter;
    private readonly int[][] _rulesByKeyword;
    private readonly CompiledRule[] _alwaysRun;
    private readonly CompiledAllowlist _allow;
    private readonly DetectorOptions _options;

    /// <exception cref="RuleException">A rule is malformed or its regex does not compile.</exception>
    public Detector(IEnumerable<Rule> rules, DetectorOptions? options = null)
    {
        _options = options ?? DetectorOptions.Default;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        _rules = rules.Select(r =>
        {
            if (!ids.Add(r.Id))
            {
                throw new RuleException(r.Id, r.Origin, "duplicate rule id");
            }

            return new CompiledRule(r, _options.RegexTimeout);
        }).ToArray();
        _allow = new CompiledAllowlist(_options.Allow, "allowlist", null, _options.RegexTimeout);

        _prefilter = new KeywordPrefilter(_rules.SelectMany(r => r.Rule.Keywords));
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _prefilter.Keywords.Count; i++)
        {
            index[_prefilter.Keywords[i]] = i;
        }

        var byKeyword = new List<int>[_prefilter.Keywords.Count];
        var always = new List<CompiledRule>();
        for (int r = 0; r < _rules.Length; r++)
        {
            if (_rules[r].Rule.Keywords.Count == 0)
            {
                always.Add(_rules[r]);
                continue;
            }

            var keywordIndexes = new List<int>();
            foreach (string k in _rules[r].Rule.Keywords)
            {
                int i = index[k.ToLowerInvariant()];
                (byKeyword[i] ??= new List<int>()).Add(r);
                keywordIndexes.Add(i);
            }

            _rules[r].KeywordIndexes = keywordIndexes.Distinct().ToArray();
        }

        _rulesByKeyword = byKeyword.Select(l => l?.ToArray() ?? Array.Empty<int>()).ToArray();
        _alwaysRun = always.ToArray();
    }

    /// <summary>Creates a detector over the built-in rule catalog.</summary>
    public static Detector CreateDefault(DetectorOptions? options = null) => new(BuiltInRules.All, options);

    public IReadOnlyList<Rule> Rules => _rules.Select(r => r.Rule).ToArray();

    public DetectorOptions Options => _options;

    /// <summary>
    /// Whether one of the rules' keywords occurs in <paramref name="text"/> (ignoring case), as
    /// <see cref="Scan"/> decides which rules to run: without one, only rules that have no keywords
    /// (see <see cref="HasRulesWithoutKeywordsAt"/>) can find anything. A quick gate for callers
    /// with many small texts (string literals).
    /// </summary>
    public bool HasKeyword(string text) => _prefilter.ContainsAny(text);

    /// <summary>Whether a rule without keywords (one that matches files by path) applies at <paramref name="path"/>.</summary>
    public bool HasRulesWithoutKeywordsAt(string path) => Array.Exists(_alwaysRun, r => r.AppliesTo(path));

    /// <summary>Scans one fragment.</summary>
    /// <param name="fragment">The text and its path.</param>
    /// <param name="onWarning">Told about rules that were skipped (a regex that ran out of time).</param>
    public IReadOnlyList<Finding> Scan(Fragment fragment, Action<string>? onWarning = null)
    {
        string text = fragment.Text;
        if (_allow.AllowsPath(fragment.Path))
        {
            return Array.Empty<Finding>();
        }

        var candidates = new List<Candidate>();
        List<HitRun>?[] hits = _prefilter.FindHits(text, WindowAfter);
        foreach (CompiledRule rule in SelectRules(hits))
        {
            if (!rule.AppliesTo(fragment.Path))
            {
                continue;
            }

            if (!rule.HasRegex)
            {
                candidates.Add(new Candidate(rule, 0, 0, fragment.Path, rule.Rule.Confidence));
                continue;
            }

            try
            {
                foreach ((int start, int length) in SearchWindows(text, rule, hits))
                {
                    for (Match m = rule.Regex!.Match(text, start, length); m.Success; m = m.NextMatch())
                    {
                        Group g = m.Groups[Rule.SecretGroup];
                        Group secretGroup = g.Success ? g : m;
                        if (secretGroup.Length == 0)
                        {
                            continue;
                        }

                        string secret = secretGroup.Value;
                        if (rule.Accepts(secret, _allow, out Confidence confidence))
                        {
                            candidates.Add(new Candidate(rule, secretGroup.Index, secretGroup.Length, secret, confidence));
                        }
                    }
                }
            }
            catch (RegexMatchTimeoutException)
            {
                onWarning?.Invoke($"{fragment.Path}: rule '{rule.Rule.Id}' ran out of time and was skipped for this file");
            }
        }

        if (candidates.Count == 0)
        {
            return Array.Empty<Finding>();
        }

        return ToFindings(fragment, ResolveOverlaps(candidates));
    }

    private IEnumerable<CompiledRule> SelectRules(List<HitRun>?[] hits)
    {
        var selected = new bool[_rules.Length];
        for (int k = 0; k < hits.Length; k++)
        {
            if (hits[k] is not null)
            {
                foreach (int r in _rulesByKeyword[k])
                {
                    selected[r] = true;
                }
            }
        }

        for (int r = 0; r < _rules.Length; r++)
        {
            if (selected[r])
            {
                yield return _rules[r];
            }
        }

        foreach (CompiledRule rule in _alwaysRun)
        {
            yield return rule;
        }
    }

    // A match starts near one of its rule's keywords, so the regex runs only on the lines around
    // the hits (from a line start at least WindowBefore characters before a hit to a line end at
    // least WindowAfter after it), not over the whole file: a "token" in line 10 of a 5,000-line
    // file no longer runs the generic token rule over all of it. Rules whose matches can span
    // far (PEM blocks) and rules without keywords see the whole text.
    internal const int WindowBefore = 256;
    internal const int WindowAfter = 2048;

    private IEnumerable<(int Start, int Length)> SearchWindows(string text, CompiledRule rule, List<HitRun>?[] hits)
    {
        if (rule.SpansFar || rule.KeywordIndexes.Length == 0)
        {
            yield return (0, text.Length);
            yield break;
        }

        var runs = new List<HitRun>();
        foreach (int k in rule.KeywordIndexes)
        {
            if (hits[k] is List<HitRun> list)
            {
                runs.AddRange(list);
            }
        }

        runs.Sort((a, b) => a.First.CompareTo(b.First));
        int windowStart = -1, windowEnd = -1;
        foreach (HitRun run in runs)
        {
            // Hits of a run are at most WindowAfter apart, so their windows overlap: one window covers the run.
            int start = LineStart(text, Math.Max(0, run.First - WindowBefore));
            int end = LineEnd(text, Math.Min(text.Length, run.Last + WindowAfter));
            if (windowStart >= 0 && start <= windowEnd)
            {
                windowEnd = Math.Max(windowEnd, end);
                continue;
            }

            if (windowStart >= 0)
            {
                yield return (windowStart, windowEnd - windowStart);
            }

            (windowStart, windowEnd) = (start, end);
        }

        if (windowStart >= 0)
        {
            yield return (windowStart, windowEnd - windowStart);
        }
    }

    private static int LineStart(string text, int index) => index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;

    private static int LineEnd(string text, int index)
    {
        int newline = index >= text.Length ? -1 : text.IndexOf('\n', index);
        return newline < 0 ? text.Length : newline;
    }

    // Where two rules claim overlapping text, the more specific one (higher confidence, then the
    // longer secret, then catalog order) wins: a GitHub token is not also a "generic token".
    private static List<Candidate> ResolveOverlaps(List<Candidate> candidates)
    {
        var ordered = candidates
            .Select((c, i) => (c, i))
            .OrderByDescending(x => x.c.Confidence)
            .ThenByDescending(x => x.c.Length)
            .ThenBy(x => x.i)
            .Select(x => x.c);
        var kept = new List<Candidate>();
        foreach (Candidate c in ordered)
        {
            bool overlaps = c.Length > 0 && kept.Any(k => k.Length > 0 && c.Offset < k.Offset + k.Length && k.Offset < c.Offset + c.Length);
            if (!overlaps)
            {
                kept.Add(c);
            }
        }

        kept.Sort((a, b) => a.Offset != b.Offset ? a.Offset.CompareTo(b.Offset) : string.CompareOrdinal(a.Rule.Rule.Id, b.Rule.Rule.Id));
        return kept;
    }

    private List<Finding> ToFindings(Fragment fragment, List<Candidate> candidates)
    {
        var lines = new LineIndex(fragment.Text);
        var findings = new List<Finding>(candidates.Count);
        foreach (Candidate c in candidates)
        {
            int line = lines.LineOf(c.Offset);
            int endOffset = c.Offset + c.Length;
            int endLine = lines.LineOf(Math.Max(c.Offset, endOffset - 1));
            if (_options.InlineAllows && InlineAllow.IsAllowedLines(lines, line, endLine))
            {
                continue;
            }

            findings.Add(new Finding
            {
                RuleId = c.Rule.Rule.Id,
                Title = c.Rule.Rule.Title,
                Severity = c.Rule.Rule.Severity,
                Confidence = c.Confidence,
                Path = fragment.Path,
                Offset = c.Offset,
                Length = c.Length,
                Line = line + fragment.FirstLine,
                Column = c.Offset - lines.StartOf(line) + 1,
                EndLine = endLine + fragment.FirstLine,
                EndColumn = endOffset - lines.StartOf(endLine) + 1,
                Secret = c.Secret,
                Fingerprint = Fingerprint.Compute(c.Rule.Rule.Id, fragment.Path, c.Secret),
            });
        }

        return findings;
    }

    private readonly record struct Candidate(CompiledRule Rule, int Offset, int Length, string Secret, Confidence Confidence);
}
