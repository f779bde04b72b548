namespace NhiGuard.Scanner.Config;

/// <summary>
/// Collects a reader's entries within bounds, so that a hostile file (a huge key prefix repeated on every
/// value) cannot make a reader allocate without limit.
/// </summary>
internal sealed class EntryList
{
    /// <summary>Keys longer than this are dropped: no real key is, and building them per entry would be quadratic.</summary>
    public const int MaxKeyLength = 1024;

    /// <summary>Reading stops after this many entries: far beyond any real config file, and the raw scan still runs.</summary>
    public const int MaxEntries = 100_000;

    public List<ConfigEntry> Entries { get; } = [];

    public bool Full => Entries.Count >= MaxEntries;

    public void Add(ConfigEntry entry)
    {
        if (!Full && entry.Key.Length <= MaxKeyLength)
        {
            Entries.Add(entry);
        }
    }

    /// <summary>Whether segments joined by a one-char separator (plus a leaf) stay within <see cref="MaxKeyLength"/>; check before joining.</summary>
    public static bool KeyFits(IEnumerable<string?> segments, int leafLength = -1)
    {
        long length = leafLength;
        foreach (string? segment in segments)
        {
            if (segment is not null)
            {
                length += segment.Length + 1;
            }
        }

        return length <= MaxKeyLength;
    }
}
