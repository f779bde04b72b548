using System;
using System.Collections.Generic;
#if NET
using System.Buffers;
#endif

namespace NhiGuard.Detection;

/// <summary>
/// One pass over a fragment that finds which keywords occur in it (case-insensitively), so only
/// the rules that name one of them run their regex. On net10.0 the pass is vectorized with
/// <c>SearchValues&lt;string&gt;</c>.
/// </summary>
internal sealed class KeywordPrefilter
{
    private readonly string[] _keywords;
    private readonly Dictionary<char, int[]> _byFirstChar = new();
#if NET
    private readonly SearchValues<string> _values;
#endif

    public KeywordPrefilter(IEnumerable<string> keywords)
    {
        var distinct = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string k in keywords)
        {
            if (k.Length > 0)
            {
                distinct.Add(k.ToLowerInvariant());
            }
        }

        _keywords = new string[distinct.Count];
        distinct.CopyTo(_keywords);

        var buckets = new Dictionary<char, List<int>>();
        for (int i = 0; i < _keywords.Length; i++)
        {
            char first = _keywords[i][0];
            if (!buckets.TryGetValue(first, out var list))
            {
                buckets[first] = list = new List<int>();
            }

            list.Add(i);
        }

        foreach (var pair in buckets)
        {
            _byFirstChar[pair.Key] = pair.Value.ToArray();
        }

#if NET
        _values = SearchValues.Create(_keywords, StringComparison.OrdinalIgnoreCase);
#endif
    }

    public IReadOnlyList<string> Keywords => _keywords;

    /// <summary>Whether any keyword occurs in <paramref name="text"/>: a gate that stops at the first hit.</summary>
    public bool ContainsAny(string text)
    {
#if NET
        return _keywords.Length > 0 && text.AsSpan().IndexOfAny(_values) >= 0;
#else
        List<HitRun>?[] hits = FindHits(text, 0);
        return Array.Exists(hits, h => h is not null);
#endif
    }

    /// <summary>
    /// Where each keyword (indexed like <see cref="Keywords"/>) occurs in <paramref name="text"/>, as
    /// runs of hits no more than <paramref name="joinDistance"/> apart (a keyword repeated on every
    /// character of a 50 MB line is one run, not 50 million positions); null where it does not occur.
    /// </summary>
    public List<HitRun>?[] FindHits(string text, int joinDistance)
    {
        var hits = new List<HitRun>?[_keywords.Length];
        if (_keywords.Length == 0)
        {
            return hits;
        }

#if NET
        ReadOnlySpan<char> span = text.AsSpan();
        int position = 0;
        while (position < span.Length)
        {
            int hit = span.Slice(position).IndexOfAny(_values);
            if (hit < 0)
            {
                break;
            }

            position += hit;
            MarkAt(text, position, hits, joinDistance);
            position++;
        }
#else
        for (int position = 0; position < text.Length; position++)
        {
            if (_byFirstChar.ContainsKey(char.ToLowerInvariant(text[position])))
            {
                MarkAt(text, position, hits, joinDistance);
            }
        }
#endif
        return hits;
    }

    private void MarkAt(string text, int position, List<HitRun>?[] hits, int joinDistance)
    {
        if (!_byFirstChar.TryGetValue(char.ToLowerInvariant(text[position]), out int[]? candidates))
        {
            return;
        }

        foreach (int i in candidates)
        {
            string k = _keywords[i];
            if (position + k.Length <= text.Length
                && string.Compare(text, position, k, 0, k.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                List<HitRun> runs = hits[i] ??= new List<HitRun>();
                if (runs.Count > 0 && position - runs[runs.Count - 1].Last <= joinDistance)
                {
                    runs[runs.Count - 1] = new HitRun(runs[runs.Count - 1].First, position);
                }
                else
                {
                    runs.Add(new HitRun(position, position));
                }
            }
        }
    }
}

/// <summary>Positions of a keyword's first and last hit in a run of hits close together.</summary>
internal readonly record struct HitRun(int First, int Last);
