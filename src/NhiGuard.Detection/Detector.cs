using System;
using System.Collections.Concurrent;
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

    // Rules limited by path (a path glob, allowlisted paths), and what each path is to them:
    // worked out once per path, since a history brings the same path thousands of times
    // (evaluating the globs per fragment, as regexes then, took a tenth of a history scan's CPU).
    private readonly CompiledRule[] _pathRules;
    private readonly ConcurrentDictionary<string, PathFacts> _paths = new(StringComparer.Ordinal);
    private const int MaxCachedPaths = 100_000;

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
        _pathRules = _rules.Where(r => r.PathGlob is not null || r.Allow.HasPaths).ToArray();
        for (int i = 0; i < _pathRules.Length; i++)
        {
            _pathRules[i].PathIndex = i;
        }
    }

    /// <summary>What a path is to the detector: excluded by the allowlist, and which path-limited rules apply there.</summary>
    internal sealed class PathFacts(bool excluded, bool[] applies, bool hasRulesWithoutKeywords)
    {
        public bool Excluded { get; } = excluded;

        /// <summary>By the index of each path-limited rule (<see cref="CompiledRule.PathIndex"/>).</summary>
        public bool[] Applies { get; } = applies;

        public bool HasRulesWithoutKeywords { get; } = hasRulesWithoutKeywords;
    }

    internal PathFacts FactsOf(string path)
    {
        if (_paths.TryGetValue(path, out PathFacts? known))
        {
            return known;
        }

        bool[] applies = new bool[_pathRules.Length];
        for (int i = 0; i < applies.Length; i++)
        {
            applies[i] = _pathRules[i].AppliesTo(path);
        }

        bool always = Array.Exists(_alwaysRun, r => r.PathIndex < 0 || applies[r.PathIndex]);
        var facts = new PathFacts(_allow.AllowsPath(path), applies, always);
        if (_paths.Count >= MaxCachedPaths)
        {
            // Enough for every path of most repositories; beyond it, start over rather than grow.
            _paths.Clear();
        }

        _paths[path] = facts;
        return facts;
    }

    private static bool AppliesAt(CompiledRule rule, PathFacts facts) => rule.PathIndex < 0 || facts.Applies[rule.PathIndex];

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
    public bool HasRulesWithoutKeywordsAt(string path) => FactsOf(path).HasRulesWithoutKeywords;

    /// <summary>Scans one fragment.</summary>
    /// <param name="fragment">The text and its path.</param>
    /// <param name="onWarning">Told about rules that were skipped (a regex that ran out of time).</param>
    public IReadOnlyList<Finding> Scan(Fragment fragment, Action<string>? onWarning = null)
    {
        string text = fragment.Text;
        PathFacts path = FactsOf(fragment.Path);
        if (path.Excluded)
        {
            return Array.Empty<Finding>();
        }

        var candidates = new List<Candidate>();
        List<HitRun>?[] hits = RentHits();
        try
        {
            _prefilter.FindHits(text, WindowAfter, hits);
            RunRules(fragment, text, path, hits, candidates, onWarning);
        }
        finally
        {
            ReturnHits(hits);
        }

        if (candidates.Count == 0)
        {
            return Array.Empty<Finding>();
        }

        return ToFindings(fragment, ResolveOverlaps(candidates));
    }

    // One array of hit lists per thread, cleared after each scan: a fresh one per fragment (531
    // entries) was 35 MB of a history scan's allocations.
    [ThreadStatic]
    private static List<HitRun>?[]? t_hits;

    private List<HitRun>?[] RentHits()
    {
        List<HitRun>?[]? hits = t_hits;
        t_hits = null;
        return hits is not null && hits.Length >= _prefilter.KeywordCount ? hits : new List<HitRun>?[_prefilter.KeywordCount];
    }

    private static void ReturnHits(List<HitRun>?[] hits)
    {
        Array.Clear(hits, 0, hits.Length);
        t_hits = hits;
    }

    private void RunRules(Fragment fragment, string text, PathFacts path, List<HitRun>?[] hits, List<Candidate> candidates, Action<string>? onWarning)
    {
        foreach (CompiledRule rule in SelectRules(hits))
        {
            if (!AppliesAt(rule, path))
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
                int wholeLinesTo = 0;
                foreach (Window window in SearchWindows(text, rule, hits))
                {
                    if (window.End <= wholeLinesTo
                        || (rule.RequiresDigit && !HasDigit(text, window))
                        || (rule.GateFor(window.End - window.Start) is { } gate && !gate.Passes(text, window.Start, window.End)))
                    {
                        continue;
                    }

                    if (!TryMatch(rule, text, window, candidates))
                    {
                        // A match at a cut edge may be a piece of one that goes on, or one the cut
                        // made (an anchor or word boundary that the line does not have there):
                        // the window's whole lines decide.
                        int start = LineStart(text, window.Start, int.MaxValue), end = LineEnd(text, window.End, int.MaxValue);
                        TryMatch(rule, text, new Window(start, end, false, false), candidates);
                        wholeLinesTo = end;
                    }
                }
            }
            catch (RegexMatchTimeoutException)
            {
                onWarning?.Invoke($"{fragment.Path}: rule '{rule.Rule.Id}' ran out of time and was skipped for this file");
            }
        }
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
    // file no longer runs the generic token rule over all of it. A line is followed to its start
    // or end only LineSlack characters further: minified code puts a whole bundle on one line,
    // and a keyword anywhere on it made the rule read all of it (on the history of the Azure
    // JavaScript SDKs, 1.24 billion characters through the regexes; 0.40 billion with the cut and
    // 1 KB after a hit, room for the catalog's bounded quantifiers, at most {0,400} in one rule).
    // Rules whose matches can span far (PEM blocks) and rules without keywords see the whole text.
    internal const int WindowBefore = 256;
    internal const int WindowAfter = 1024;
    internal const int LineSlack = 256;

    // A rule whose matches hold at most this many line feeds reads only the lines around its
    // keywords' hits (the generic rules: their keyword's line and the next); beyond it, the
    // windows above (provider rules that allow "[\w\s]{0,72}" between name and value).
    internal const int MaxLineReach = 8;
    private const int MaxValueLength = 64 * 1024;

    // A match this close to a cut edge may depend on what the cut hid (a lookbehind, \b, ^, $).
    private const int EdgeMargin = 32;

    /// <summary>Where a rule's regex runs; a cut edge is one inside a line.</summary>
    private readonly record struct Window(int Start, int End, bool CutStart, bool CutEnd);

    // The rule's matches in a window, added to the candidates; false (and none added) when a
    // match reaches a cut edge.
    private bool TryMatch(CompiledRule rule, string text, Window window, List<Candidate> candidates)
    {
        Regex regex = rule.RegexFor(window.End - window.Start)!;
        int before = candidates.Count;
        bool starter = rule.IsStarter(regex);
        long started = starter ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        try
        {
            return TryMatch(rule, regex, text, window, candidates);
        }
        catch (RegexMatchTimeoutException) when (starter)
        {
            // Text the interpreter finds hard: the linear engine reads it, and all that follows.
            candidates.RemoveRange(before, candidates.Count - before);
            rule.RetireStarter();
            return TryMatch(rule, rule.Regex!, text, window, candidates);
        }
        finally
        {
            if (starter)
            {
                rule.ChargeStarter(System.Diagnostics.Stopwatch.GetTimestamp() - started);
            }
        }
    }

    private bool TryMatch(CompiledRule rule, Regex regex, string text, Window window, List<Candidate> candidates)
    {
        int before = candidates.Count;
        for (Match m = regex.Match(text, window.Start, window.End - window.Start); m.Success; m = m.NextMatch())
        {
            if ((window.CutStart && m.Index < window.Start + EdgeMargin) || (window.CutEnd && m.Index + m.Length > window.End - EdgeMargin))
            {
                candidates.RemoveRange(before, candidates.Count - before);
                return false;
            }

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

        return true;
    }

    private IEnumerable<Window> SearchWindows(string text, CompiledRule rule, List<HitRun>?[] hits)
    {
        if (rule.SpansFar || rule.KeywordIndexes.Length == 0)
        {
            yield return new Window(0, text.Length, false, false);
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
        Window? open = null;
        foreach (HitRun run in runs)
        {
            // Hits of a run are at most WindowAfter apart, so their windows overlap: one window covers the run.
            int from = Math.Max(0, run.First - WindowBefore), to = ValueEnd(text, Math.Min(text.Length, run.Last + WindowAfter));
            int start = LineStart(text, from, LineSlack), end = LineEnd(text, to, LineSlack);
            var window = new Window(start, end, start < 0, end < 0);
            if (window.CutStart)
            {
                window = window with { Start = from - LineSlack };
            }

            if (window.CutEnd)
            {
                window = window with { End = to + LineSlack };
            }

            if (rule.LineReach <= MaxLineReach)
            {
                window = AroundLines(text, run, rule.LineReach, window);
            }

            if (open is { } current && window.Start <= current.End)
            {
                open = current with { End = Math.Max(current.End, window.End), CutEnd = window.End >= current.End ? window.CutEnd : current.CutEnd };
                continue;
            }

            if (open is { } done)
            {
                yield return done;
            }

            open = window;
        }

        if (open is { } last)
        {
            yield return last;
        }
    }

    // A rule whose match holds at most `reach` line feeds, and so lies within `reach` lines of
    // its keyword: the lines of the run and `reach` lines either side, where they lie inside the
    // window (on a long line, the window's cut stays).
    private static Window AroundLines(string text, HitRun run, int reach, Window window)
    {
        int start = window.Start, end = window.End;
        bool cutStart = window.CutStart, cutEnd = window.CutEnd;
        int at = run.First;
        int newlines = 0;
        while (newlines <= reach)
        {
            int newline = at > start ? text.LastIndexOf('\n', at - 1, at - start) : -1;
            if (newline < 0)
            {
                break;
            }

            newlines++;
            at = newline;
        }

        if (newlines > reach)
        {
            (start, cutStart) = (at + 1, false);
        }

        at = run.Last;
        newlines = 0;
        while (newlines <= reach)
        {
            int newline = at < end ? text.IndexOf('\n', at, end - at) : -1;
            if (newline < 0)
            {
                break;
            }

            newlines++;
            at = newline + 1;
        }

        if (newlines > reach)
        {
            (end, cutEnd) = (at - 1, false);
        }

        return new Window(start, end, cutStart, cutEnd);
    }

    // On keyword-dense code most of a generic rule's windows hold no digit, so no value it accepts
    // (93% of them on the generated benchmark history): a vectorized search instead of the regex.
    private static bool HasDigit(string text, Window window)
    {
#if NET
        return text.AsSpan(window.Start, window.End - window.Start).IndexOfAnyInRange('0', '9') >= 0;
#else
        for (int i = window.Start; i < window.End; i++)
        {
            if (text[i] is >= '0' and <= '9')
            {
                return true;
            }
        }

        return false;
#endif
    }

    // Where the value that index is in ends: a long token (a 4 KB JWT) is not cut in two.
    private static int ValueEnd(string text, int index)
    {
        int count = Math.Min(text.Length - index, MaxValueLength);
#if NET
        int end = text.AsSpan(index, count).IndexOfAny(ValueDelimiters);
        return end < 0 ? index + count : index + end;
#else
        int end = text.IndexOfAny(ValueDelimiters, index, count);
        return end < 0 ? index + count : end;
#endif
    }

#if NET
    private static readonly System.Buffers.SearchValues<char> ValueDelimiters = System.Buffers.SearchValues.Create(" \t\r\n\f\v\"'`;,(){}[]<>");
#else
    private static readonly char[] ValueDelimiters = " \t\r\n\f\v\"'`;,(){}[]<>".ToCharArray();
#endif

    // The start of the line holding index, looking back at most slack characters: -1 beyond that.
    private static int LineStart(string text, int index, int slack)
    {
        if (index == 0)
        {
            return 0;
        }

        int count = Math.Min(index, slack == int.MaxValue ? index : slack + 1);
        int newline = text.LastIndexOf('\n', index - 1, count);
        return newline >= 0 ? newline + 1 : count == index ? 0 : -1;
    }

    // The end of the line holding index (its newline, or the text's end), looking at most slack characters ahead: -1 beyond that.
    private static int LineEnd(string text, int index, int slack)
    {
        if (index >= text.Length)
        {
            return text.Length;
        }

        int count = Math.Min(text.Length - index, slack == int.MaxValue ? text.Length - index : slack + 1);
        int newline = text.IndexOf('\n', index, count);
        return newline >= 0 ? newline : count == text.Length - index ? text.Length : -1;
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
