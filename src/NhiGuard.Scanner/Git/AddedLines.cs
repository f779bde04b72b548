using System.Runtime.InteropServices;
using System.Text;
using NhiGuard.Detection;

namespace NhiGuard.Scanner.Git;

/// <summary>A blob's text split into lines, each with a 64-bit hash (its trailing CR ignored).</summary>
internal sealed class BlobLines
{
    // Random per process, so nobody can craft a line that collides with another on purpose.
    private static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

    private BlobLines(string text, int[] starts, ulong[] hashes)
    {
        Text = text;
        Starts = starts;
        Hashes = hashes;
    }

    public string Text { get; }

    /// <summary>Where each line starts in <see cref="Text"/>.</summary>
    public int[] Starts { get; }

    /// <summary>Each line's hash, in line order.</summary>
    public ulong[] Hashes { get; }

    public static BlobLines Of(string text)
    {
        var starts = new List<int>(text.Length / 32 + 1);
        if (text.Length > 0)
        {
            starts.Add(0);
        }

        int at = 0;
        while ((at = text.IndexOf('\n', at)) >= 0)
        {
            at++;
            if (at < text.Length)
            {
                starts.Add(at);
            }
        }

        int[] s = starts.ToArray();
        var hashes = new ulong[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            hashes[i] = Hash(Line(text, s, i));
        }

        return new BlobLines(text, s, hashes);
    }

    /// <summary>The hashes sorted: what is kept of a version for comparing its children with.</summary>
    public ulong[] SortedHashes()
    {
        ulong[] sorted = (ulong[])Hashes.Clone();
        Array.Sort(sorted);
        return sorted;
    }

    public ReadOnlySpan<char> Line(int i) => Line(Text, Starts, i);

    private static ReadOnlySpan<char> Line(string text, int[] starts, int i)
    {
        int start = starts[i];
        int end = i + 1 < starts.Length ? starts[i + 1] - 1 : text.Length;
        if (end > start && text[end - 1] == '\n')
        {
            end--;
        }

        if (end > start && text[end - 1] == '\r')
        {
            end--;
        }

        return text.AsSpan(start, end - start);
    }

    // Eight characters at a time in two independent lanes, multiply-xorshift mixing: fast, and
    // 64 bits make accidental collisions between two lines of one file practically impossible.
    private static ulong Hash(ReadOnlySpan<char> line)
    {
        ulong a = Seed ^ ((ulong)line.Length * 0x9E3779B97F4A7C15UL), b = ~Seed;
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<char, ulong>(line);
        int w = 0;
        for (; w + 1 < words.Length; w += 2)
        {
            a = (a ^ words[w]) * 0xBF58476D1CE4E5B9UL;
            b = (b ^ words[w + 1]) * 0x94D049BB133111EBUL;
            a ^= a >> 29;
            b ^= b >> 32;
        }

        if (w < words.Length)
        {
            a = Mix(a ^ words[w]);
        }

        for (int i = words.Length * 4; i < line.Length; i++)
        {
            b = Mix(b ^ line[i]);
        }

        return Mix(a ^ Mix(b));
    }

    private static ulong Mix(ulong h)
    {
        h *= 0xBF58476D1CE4E5B9UL;
        return h ^ (h >> 31);
    }
}

/// <summary>
/// The lines of a file version that none of its parents' versions had — what a commit added
/// there — found by counting line hashes, not by computing a diff: a line moved within the file
/// is not an addition, and the cost is one hash per line.
/// </summary>
internal sealed class AddedLines
{
    private readonly BlobLines _lines;
    private readonly bool[] _added;

    private AddedLines(BlobLines lines, bool[] added, int count)
    {
        _lines = lines;
        _added = added;
        Count = count;
    }

    /// <summary>How many lines were added.</summary>
    public int Count { get; }

    public int LineCount => _added.Length;

    /// <summary>Whether any line from <paramref name="first"/> to <paramref name="last"/> (1-based) was added.</summary>
    public bool AnyAdded(int first, int last)
    {
        for (int line = Math.Max(1, first); line <= Math.Min(last, _added.Length); line++)
        {
            if (_added[line - 1])
            {
                return true;
            }
        }

        return false;
    }

    /// <param name="lines">The new version.</param>
    /// <param name="parents">Each parent's version, as <see cref="BlobLines.SortedHashes"/>.</param>
    public static AddedLines Compute(BlobLines lines, IReadOnlyList<ulong[]> parents)
    {
        ulong[] hashes = lines.Hashes;
        var added = new bool[hashes.Length];
        if (parents.Count == 0)
        {
            Array.Fill(added, true);
            return new AddedLines(lines, added, hashes.Length);
        }

        // Each new line takes an unused copy of itself from every parent that has one (a binary
        // search in the sorted hashes); a line no parent can match is added. So a line counts as
        // added when the file has more copies of it than any parent had — what a merge adds is
        // what every parent lacks.
        var taken = new int[parents.Count][];
        for (int p = 0; p < parents.Count; p++)
        {
            taken[p] = new int[parents[p].Length];
        }

        int count = 0;
        for (int i = 0; i < hashes.Length; i++)
        {
            bool matched = false;
            for (int p = 0; p < parents.Count; p++)
            {
                ulong[] parent = parents[p];
                int first = FirstIndex(parent, hashes[i]);
                if (first < parent.Length && parent[first] == hashes[i])
                {
                    int end = first;
                    while (end < parent.Length && parent[end] == hashes[i])
                    {
                        end++;
                    }

                    if (taken[p][first] < end - first)
                    {
                        taken[p][first]++;
                        matched = true;
                    }
                }
            }

            if (!matched)
            {
                added[i] = true;
                count++;
            }
        }

        return new AddedLines(lines, added, count);
    }

    // The first index whose hash is not below the one sought.
    private static int FirstIndex(ulong[] sorted, ulong hash)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < hash)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>
    /// The added lines as one fragment, each run preceded by the line above it (for
    /// <c>nhiguard:allow-next-line</c> and assignments split over two lines); <paramref name="map"/>
    /// maps the fragment's lines back to the file's.
    /// </summary>
    public Fragment ToFragment(string path, out int[] map)
    {
        var text = new StringBuilder();
        var lines = new List<int>();
        for (int i = 0; i < _added.Length; i++)
        {
            bool context = !_added[i] && i + 1 < _added.Length && _added[i + 1];
            if (_added[i] || context)
            {
                text.Append(_lines.Line(i)).Append('\n');
                lines.Add(i + 1);
            }
        }

        map = lines.ToArray();
        return new Fragment(text.ToString(), path);
    }
}
