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

    /// <summary>Marks in <paramref name="found"/> (indexed like <see cref="Keywords"/>) each keyword present in <paramref name="text"/>.</summary>
    /// <returns>How many distinct keywords were found.</returns>
    public int FindKeywords(string text, bool[] found)
    {
        int count = 0;
        if (_keywords.Length == 0)
        {
            return 0;
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
            count += MarkAt(text, position, found);
            if (count == _keywords.Length)
            {
                break;
            }

            position++;
        }
#else
        for (int position = 0; position < text.Length; position++)
        {
            if (_byFirstChar.ContainsKey(char.ToLowerInvariant(text[position])))
            {
                count += MarkAt(text, position, found);
                if (count == _keywords.Length)
                {
                    break;
                }
            }
        }
#endif
        return count;
    }

    private int MarkAt(string text, int position, bool[] found)
    {
        int marked = 0;
        if (!_byFirstChar.TryGetValue(char.ToLowerInvariant(text[position]), out int[]? candidates))
        {
            return 0;
        }

        foreach (int i in candidates)
        {
            string k = _keywords[i];
            if (!found[i] && position + k.Length <= text.Length
                && string.Compare(text, position, k, 0, k.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                found[i] = true;
                marked++;
            }
        }

        return marked;
    }
}
