using System;
using System.Collections.Generic;

namespace NhiGuard.Detection;

/// <summary>
/// One pass over a fragment that finds which keywords occur in it (case-insensitively), so only
/// the rules that name one of them run their regex.
/// </summary>
/// <remarks>
/// An Aho-Corasick automaton compiled into a full transition table over the keywords' characters
/// (ASCII folded to lower case; every other character is one class): one table lookup per
/// character reports every keyword ending there, with no restart after a hit. The catalog's 531
/// keywords include short, common ones ("://", "pat", "st."), so hits are dense in real code;
/// <c>SearchValues&lt;string&gt;</c> (an Aho-Corasick of its own for this many values, restarted
/// after each hit, plus a check of the candidates at each) spent more time here than all the
/// rules' regexes together. Keywords with characters outside ASCII are looked for one by one.
/// </remarks>
internal sealed class KeywordPrefilter
{
    private readonly string[] _keywords;

    // Character class of each ASCII character (0: any character no keyword has).
    private readonly byte[] _classOf = new byte[128];
    private readonly int _classes;

    // _next[row + class], row = state * _classes: the automaton's full transition table. It holds
    // the next state's row, complemented (negative) when keywords end at that state, so the loop
    // needs one load per character.
    private readonly int[] _next;

    // The keywords that end at each state (its own and its suffixes'); null where none does.
    private readonly int[]?[] _ends;

    // Keywords outside ASCII, matched with IndexOf.
    private readonly int[] _slow;

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

        var slow = new List<int>();
        int classes = 1;
        for (int i = 0; i < _keywords.Length; i++)
        {
            if (!IsAscii(_keywords[i]))
            {
                slow.Add(i);
                continue;
            }

            foreach (char c in _keywords[i])
            {
                if (_classOf[c] == 0)
                {
                    _classOf[c] = (byte)classes++;
                }
            }
        }

        for (char c = 'A'; c <= 'Z'; c++)
        {
            _classOf[c] = _classOf[char.ToLowerInvariant(c)];
        }

        _slow = slow.ToArray();
        _classes = classes;

        // The trie.
        var children = new List<int[]> { NewRow(classes) };
        var ends = new List<List<int>?> { null };
        for (int i = 0; i < _keywords.Length; i++)
        {
            if (!IsAscii(_keywords[i]))
            {
                continue;
            }

            int state = 0;
            foreach (char c in _keywords[i])
            {
                int cls = _classOf[c];
                if (children[state][cls] < 0)
                {
                    children[state][cls] = children.Count;
                    children.Add(NewRow(classes));
                    ends.Add(null);
                }

                state = children[state][cls];
            }

            (ends[state] ??= new List<int>()).Add(i);
        }

        // Breadth first: each state's failure link, its missing transitions taken from that
        // link's, and the keywords ending at the link added to its own.
        _next = new int[children.Count * classes];
        var fail = new int[children.Count];
        var queue = new Queue<int>();
        for (int cls = 0; cls < classes; cls++)
        {
            int child = children[0][cls];
            _next[cls] = child < 0 ? 0 : child;
            if (child > 0)
            {
                queue.Enqueue(child);
            }
        }

        while (queue.Count > 0)
        {
            int state = queue.Dequeue();
            if (ends[fail[state]] is List<int> inherited)
            {
                (ends[state] ??= new List<int>()).AddRange(inherited);
            }

            for (int cls = 0; cls < classes; cls++)
            {
                int child = children[state][cls];
                if (child < 0)
                {
                    _next[state * classes + cls] = _next[fail[state] * classes + cls];
                    continue;
                }

                fail[child] = _next[fail[state] * classes + cls];
                _next[state * classes + cls] = child;
                queue.Enqueue(child);
            }
        }

        _ends = new int[]?[children.Count];
        for (int s = 0; s < ends.Count; s++)
        {
            _ends[s] = ends[s]?.ToArray();
        }

        for (int i = 0; i < _next.Length; i++)
        {
            int target = _next[i];
            _next[i] = _ends[target] is null ? target * classes : ~(target * classes);
        }
    }

    public IReadOnlyList<string> Keywords => _keywords;

    /// <summary>Whether any keyword occurs in <paramref name="text"/>: a gate that stops at the first hit.</summary>
    public bool ContainsAny(string text)
    {
        int[] next = _next;
        byte[] classOf = _classOf;
        int row = 0;
        foreach (char c in text)
        {
            row = next[row + (c < 128 ? classOf[c] : 0)];
            if (row < 0)
            {
                return true;
            }
        }

        foreach (int i in _slow)
        {
            if (text.IndexOf(_keywords[i], StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    public int KeywordCount => _keywords.Length;

    /// <summary>
    /// Where each keyword (indexed like <see cref="Keywords"/>) occurs in <paramref name="text"/>, as
    /// runs of hits no more than <paramref name="joinDistance"/> apart and on the same or the next
    /// line (a keyword repeated on every character of a 50 MB line is one run, not 50 million
    /// positions; every line from a run's first hit to its last holds a hit); null where it does
    /// not occur.
    /// </summary>
    public List<HitRun>?[] FindHits(string text, int joinDistance) => FindHits(text, joinDistance, new List<HitRun>?[_keywords.Length]);

    /// <summary><see cref="FindHits(string, int)"/> into an array of the caller's (at least one entry per keyword, all null).</summary>
    public List<HitRun>?[] FindHits(string text, int joinDistance, List<HitRun>?[] hits)
    {
        int[] next = _next;
        byte[] classOf = _classOf;
        int row = 0;
        for (int position = 0; position < text.Length; position++)
        {
            char c = text[position];
            row = next[row + (c < 128 ? classOf[c] : 0)];
            if (row < 0)
            {
                row = ~row;
                foreach (int i in _ends[row / _classes]!)
                {
                    Mark(text, hits, i, position - _keywords[i].Length + 1, joinDistance);
                }
            }
        }

        foreach (int i in _slow)
        {
            for (int at = text.IndexOf(_keywords[i], StringComparison.OrdinalIgnoreCase); at >= 0;
                 at = at + 1 < text.Length ? text.IndexOf(_keywords[i], at + 1, StringComparison.OrdinalIgnoreCase) : -1)
            {
                Mark(text, hits, i, at, joinDistance);
            }
        }

        return hits;
    }

    private static void Mark(string text, List<HitRun>?[] hits, int keyword, int position, int joinDistance)
    {
        List<HitRun> runs = hits[keyword] ??= new List<HitRun>();
        if (runs.Count > 0 && position - runs[runs.Count - 1].Last <= joinDistance && AtMostOneLineBreak(text, runs[runs.Count - 1].Last, position))
        {
            runs[runs.Count - 1] = new HitRun(runs[runs.Count - 1].First, position);
        }
        else
        {
            runs.Add(new HitRun(position, position));
        }
    }

    private static bool AtMostOneLineBreak(string text, int from, int to)
    {
        int first = text.IndexOf('\n', from, to - from);
        return first < 0 || text.IndexOf('\n', first + 1, to - first - 1) < 0;
    }

    private static int[] NewRow(int classes)
    {
        var row = new int[classes];
        for (int i = 0; i < row.Length; i++)
        {
            row[i] = -1;
        }

        return row;
    }

    private static bool IsAscii(string s)
    {
        foreach (char c in s)
        {
            if (c >= 128)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Positions of a keyword's first and last hit in a run of hits close together.</summary>
internal readonly record struct HitRun(int First, int Last);
