using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using NhiGuard.Detection;

namespace NhiGuard.Scanner.Git;

/// <summary>
/// The lines of a file version that none of its parents' versions had — what a commit added
/// there. Not a diff: the lines both versions share at the start and at the end are skipped with
/// a vectorized compare of the bytes, and in the region between, a line counts as added when the
/// file has more copies of it than the parent had there (64-bit line hashes, a trailing CR
/// ignored). So a line moved within that region is not an addition, and a typical edit costs a
/// compare of the bytes plus a hash of the few lines around the edit. A large region is first
/// split at a line both versions have (so scattered edits cost a hash of the lines around each),
/// without changing the answer: copies left over in one part are matched in the others.
/// </summary>
internal sealed class AddedLines
{
    private static readonly Encoding Utf8 = new UTF8Encoding(false, throwOnInvalidBytes: false);

    // Random per process, so nobody can craft a line that collides with another on purpose.
    private static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

    private readonly byte[] _text;

    // The added lines, ascending: 1-based numbers and where each starts in the text. Null: all.
    private readonly int[]? _lines;
    private readonly int[]? _starts;

    private AddedLines(byte[] text, int lineCount, int[]? lines, int[]? starts)
    {
        _text = text;
        LineCount = lineCount;
        _lines = lines;
        _starts = starts;
    }

    /// <summary>How many lines were added.</summary>
    public int Count => _lines?.Length ?? LineCount;

    /// <summary>How many lines the version has.</summary>
    public int LineCount { get; }

    /// <summary>Every line is new: the file is scanned as a whole.</summary>
    public bool IsWholeFile => Count == LineCount;

    /// <summary>Whether any line from <paramref name="first"/> to <paramref name="last"/> (1-based) was added.</summary>
    public bool AnyAdded(int first, int last)
    {
        first = Math.Max(1, first);
        last = Math.Min(last, LineCount);
        if (first > last)
        {
            return false;
        }

        if (_lines is null)
        {
            return true;
        }

        int i = Array.BinarySearch(_lines, first);
        i = i >= 0 ? i : ~i;
        return i < _lines.Length && _lines[i] <= last;
    }

    /// <param name="text">The new version, as UTF-8.</param>
    /// <param name="parents">Each parent's version at that path, as UTF-8 (empty when it had none, or no text).</param>
    public static AddedLines Compute(byte[] text, IReadOnlyList<byte[]> parents)
    {
        ReadOnlySpan<byte> span = text;
        int lineCount = span.Count((byte)'\n') + (text.Length > 0 && text[^1] != '\n' ? 1 : 0);
        if (parents.Count == 0)
        {
            return new AddedLines(text, lineCount, null, null);
        }

        // What a merge adds is what every parent lacks: the lines no parent can match.
        List<(int Line, int Start)>? added = null;
        foreach (byte[] parent in parents)
        {
            List<(int Line, int Start)> unmatched = Unmatched(text, parent);
            added = added is null ? unmatched : Intersect(added, unmatched);
            if (added.Count == 0)
            {
                break;
            }
        }

        if (added!.Count == lineCount)
        {
            return new AddedLines(text, lineCount, null, null);
        }

        return new AddedLines(text, lineCount, added.Select(a => a.Line).ToArray(), added.Select(a => a.Start).ToArray());
    }

    /// <summary>
    /// The added lines as one fragment, each run preceded by the line above it (for
    /// <c>nhiguard:allow-next-line</c> and assignments split over two lines); <paramref name="map"/>
    /// maps the fragment's lines back to the file's.
    /// </summary>
    public Fragment ToFragment(string path, out int[] map)
    {
        if (_lines is null)
        {
            map = Enumerable.Range(1, LineCount).ToArray();
            return new Fragment(Utf8.GetString(_text), path);
        }

        var text = new StringBuilder();
        var lines = new List<int>(_lines.Length * 2);
        for (int i = 0; i < _lines.Length; i++)
        {
            int start = _starts![i];
            bool runStarts = i == 0 || _lines[i - 1] != _lines[i] - 1;
            if (runStarts && start > 0)
            {
                int above = _text.AsSpan(0, start - 1).LastIndexOf((byte)'\n') + 1;
                Append(text, above);
                lines.Add(_lines[i] - 1);
            }

            Append(text, start);
            lines.Add(_lines[i]);
        }

        map = lines.ToArray();
        return new Fragment(text.ToString(), path);
    }

    private void Append(StringBuilder to, int start)
    {
        ReadOnlySpan<byte> line = Line(_text, start, out _);
        if (line.Length > 0)
        {
            char[] chars = System.Buffers.ArrayPool<char>.Shared.Rent(line.Length);
            int n = Utf8.GetChars(line, chars);
            to.Append(chars, 0, n);
            System.Buffers.ArrayPool<char>.Shared.Return(chars);
        }

        to.Append('\n');
    }

    // The lines of the text that the parent cannot match, with their numbers and starts.
    private static List<(int Line, int Start)> Unmatched(byte[] text, byte[] parent)
    {
        var leaves = new List<Leaf>();
        Split(text, 0, text.Length, parent, 0, parent.Length, 0, leaves);
        var unmatched = new List<(int Line, int Start)>();
        if (leaves.Count == 0)
        {
            return unmatched;
        }

        // The parent's lines in each region, counted by hash; each line of the text there takes an
        // unused copy of itself. What a region leaves over on either side is matched across all
        // regions at the end, so a line moved past an anchor is no addition either: the count
        // of added copies of a line is what the text has more of than the parent in the middle.
        var pending = new List<(int Line, int Start, ulong Hash)>();
        Dictionary<ulong, int>? spare = leaves.Count > 1 ? new Dictionary<ulong, int>() : null;
        int number = 1, counted = 0;
        foreach (Leaf leaf in leaves)
        {
            if (spare is null && leaf.TextFrom >= leaf.TextTo)
            {
                break; // only deleted lines
            }

            number += text.AsSpan(counted, leaf.TextFrom - counted).Count((byte)'\n');
            var theirs = new LineCounts(parent, leaf.ParentFrom, leaf.ParentTo);
            try
            {
                int at = leaf.TextFrom;
                while (at < leaf.TextTo)
                {
                    int start = at;
                    ulong hash = Hash(Line(text, at, out at));
                    if (!theirs.TakeOne(hash))
                    {
                        pending.Add((number, start, hash));
                    }

                    number++;
                }

                counted = at;
                if (spare is not null)
                {
                    theirs.AddLeftOverTo(spare);
                }
            }
            finally
            {
                theirs.Return();
            }
        }

        foreach ((int line, int start, ulong hash) in pending)
        {
            if (spare is not null && spare.TryGetValue(hash, out int copies) && copies > 0)
            {
                spare[hash] = copies - 1;
                continue;
            }

            unmatched.Add((line, start));
        }

        return unmatched;
    }

    // A region of the text and the region of the parent it is compared with (whole lines in both).
    private readonly record struct Leaf(int TextFrom, int TextTo, int ParentFrom, int ParentTo);

    // Past this many bytes between the shared ends, a line near the middle of the text that the
    // parent has too (an anchor) splits both into two regions, each cut at its own shared ends:
    // edits scattered over a large file leave small regions around each edit, found by comparing
    // bytes, instead of one region spanning the file whose every line is hashed twice.
    private const int LeafBytes = 2048;
    private const int MaxSplitDepth = 24;
    private const int MinAnchorBytes = 16;

    private static void Split(byte[] text, int textFrom, int textTo, byte[] parent, int parentFrom, int parentTo, int depth, List<Leaf> leaves)
    {
        (int prefix, int suffix) = CommonEnds(text.AsSpan(textFrom, textTo - textFrom), parent.AsSpan(parentFrom, parentTo - parentFrom));
        textFrom += prefix;
        parentFrom += prefix;
        textTo -= suffix;
        parentTo -= suffix;
        if (textFrom >= textTo && parentFrom >= parentTo)
        {
            return;
        }

        if (textTo - textFrom > LeafBytes && parentTo - parentFrom > LeafBytes && depth < MaxSplitDepth)
        {
            int middle = textFrom + ((textTo - textFrom) / 2);
            int at = text.AsSpan(textFrom, middle - textFrom).LastIndexOf((byte)'\n') + 1 + textFrom;
            for (int tries = 0; tries < 4 && at < textTo; tries++)
            {
                int newline = text.AsSpan(at, textTo - at).IndexOf((byte)'\n');
                if (newline < 0)
                {
                    break;
                }

                int next = at + newline + 1;
                int found = newline >= MinAnchorBytes ? FindLine(parent, parentFrom, parentTo, text.AsSpan(at, next - at)) : -1;
                if (found >= 0)
                {
                    Split(text, textFrom, at, parent, parentFrom, found, depth + 1, leaves);
                    Split(text, next, textTo, parent, found + (next - at), parentTo, depth + 1, leaves);
                    return;
                }

                at = next;
            }
        }

        leaves.Add(new Leaf(textFrom, textTo, parentFrom, parentTo));
    }

    // Where the parent's region has the line (with its line feed) as a whole line; -1 if nowhere.
    private static int FindLine(byte[] parent, int from, int to, ReadOnlySpan<byte> line)
    {
        for (int at = from; at < to;)
        {
            int i = parent.AsSpan(at, to - at).IndexOf(line);
            if (i < 0)
            {
                return -1;
            }

            int found = at + i;
            if (found == from || parent[found - 1] == '\n')
            {
                return found;
            }

            at = found + 1;
        }

        return -1;
    }

    // How many bytes both versions share at the start and at the end, each cut back to whole
    // lines in both (the end's share never reaching into the start's).
    private static (int Prefix, int Suffix) CommonEnds(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int common = a.CommonPrefixLength(b);
        if (common == a.Length && common == b.Length)
        {
            return (a.Length, 0);
        }

        int prefix = a[..common].LastIndexOf((byte)'\n') + 1;
        int max = Math.Min(a.Length, b.Length) - prefix;
        int suffix = 0;
        const int Block = 64;
        while (suffix + Block <= max && a.Slice(a.Length - suffix - Block, Block).SequenceEqual(b.Slice(b.Length - suffix - Block, Block)))
        {
            suffix += Block;
        }

        while (suffix < max && a[a.Length - 1 - suffix] == b[b.Length - 1 - suffix])
        {
            suffix++;
        }

        // The shared end must start a line in both; inside it the bytes are the same, so step to
        // the next line start there.
        int inA = a.Length - suffix, inB = b.Length - suffix;
        if (suffix > 0 && !(StartsLine(a, inA) && StartsLine(b, inB)))
        {
            int newline = a.Slice(inA, suffix).IndexOf((byte)'\n');
            suffix = newline < 0 ? 0 : suffix - newline - 1;
        }

        return (prefix, suffix);
    }

    private static bool StartsLine(ReadOnlySpan<byte> text, int at) => at == 0 || text[at - 1] == '\n';

    private static List<(int Line, int Start)> Intersect(List<(int Line, int Start)> a, List<(int Line, int Start)> b)
    {
        var both = new List<(int Line, int Start)>(Math.Min(a.Count, b.Count));
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count)
        {
            if (a[i].Line == b[j].Line)
            {
                both.Add(a[i]);
                i++;
                j++;
            }
            else if (a[i].Line < b[j].Line)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return both;
    }

    // The line starting at `start`, without its LF and a CR before it; `next` is where the next one starts.
    private static ReadOnlySpan<byte> Line(byte[] text, int start, out int next)
    {
        int newline = text.AsSpan(start).IndexOf((byte)'\n');
        int end = newline < 0 ? text.Length : start + newline;
        next = newline < 0 ? text.Length : end + 1;
        if (end > start && text[end - 1] == '\r')
        {
            end--;
        }

        return text.AsSpan(start, end - start);
    }

    // Eight bytes at a time in two independent lanes, multiply-xorshift mixing: fast, and 64 bits
    // make accidental collisions between two lines of one file practically impossible.
    private static ulong Hash(ReadOnlySpan<byte> line)
    {
        ulong a = Seed ^ ((ulong)line.Length * 0x9E3779B97F4A7C15UL), b = ~Seed;
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(line);
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

        for (int i = words.Length * 8; i < line.Length; i++)
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

    /// <summary>How many copies of each line a version has, by hash: an open-addressing table (pooled: one per changed file, in every commit).</summary>
    private readonly struct LineCounts
    {
        private readonly ulong[] _hashes;
        private readonly int[] _counts; // -1: empty slot
        private readonly int _mask;

        public LineCounts(byte[] text, int from, int to)
        {
            int lines = text.AsSpan(from, to - from).Count((byte)'\n') + 1;
            int size = 16;
            while (size < lines * 2)
            {
                size <<= 1;
            }

            _hashes = ArrayPool<ulong>.Shared.Rent(size);
            _counts = ArrayPool<int>.Shared.Rent(size);
            _mask = size - 1;
            Array.Fill(_counts, -1, 0, size);
            for (int at = from; at < to;)
            {
                ulong hash = Hash(Line(text, at, out at));
                int slot = Slot(hash);
                if (_counts[slot] < 0)
                {
                    (_hashes[slot], _counts[slot]) = (hash, 1);
                }
                else
                {
                    _counts[slot]++;
                }
            }
        }

        public void Return()
        {
            ArrayPool<ulong>.Shared.Return(_hashes);
            ArrayPool<int>.Shared.Return(_counts);
        }

        /// <summary>Adds the copies no line took to <paramref name="spare"/>.</summary>
        public void AddLeftOverTo(Dictionary<ulong, int> spare)
        {
            for (int slot = 0; slot <= _mask; slot++)
            {
                if (_counts[slot] > 0)
                {
                    spare[_hashes[slot]] = spare.GetValueOrDefault(_hashes[slot]) + _counts[slot];
                }
            }
        }

        /// <summary>Takes one copy of the line; false when none is left.</summary>
        public bool TakeOne(ulong hash)
        {
            int slot = Slot(hash);
            if (_counts[slot] <= 0)
            {
                return false;
            }

            _counts[slot]--;
            return true;
        }

        // The slot holding the hash, or the empty one where it would go.
        private int Slot(ulong hash)
        {
            int slot = (int)(hash >> 32) & _mask;
            while (_counts[slot] >= 0 && _hashes[slot] != hash)
            {
                slot = (slot + 1) & _mask;
            }

            return slot;
        }
    }
}
