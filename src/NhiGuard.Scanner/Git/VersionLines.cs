namespace NhiGuard.Scanner.Git;

/// <summary>What a blob turned out to be once read.</summary>
internal enum BlobKind
{
    Text,
    Binary,
    LfsPointer,
    TooLarge,
    Missing,
}

/// <summary>Something that arrives once: a blob's text for the change that scans it, or a version's line hashes.</summary>
internal abstract class Awaited
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BlobKind Kind { get; private set; }
    public long Size { get; private set; }

    public void Fail(Exception e) => _done.TrySetException(e);

    protected void Complete(BlobKind kind, long size)
    {
        (Kind, Size) = (kind, size);
        _done.TrySetResult();
    }

    protected void Wait(CancellationToken cancellation) => _done.Task.Wait(cancellation);
}

/// <summary>A blob's text, for the one change that scans it; it also feeds the version's line hashes to its children.</summary>
internal sealed class BlobText(string id, VersionLines? feeds) : Awaited
{
    public string Id { get; } = id;

    /// <summary>The cache entry this blob's line hashes complete, when nobody else computes them.</summary>
    public VersionLines? Feeds { get; } = feeds;

    /// <summary>The text; null unless <see cref="Awaited.Kind"/> is <see cref="BlobKind.Text"/>.</summary>
    public string? Text { get; private set; }

    public void Complete(BlobKind kind, string? text, long size)
    {
        Text = text;
        Complete(kind, size);
        if (kind != BlobKind.Text)
        {
            Feeds?.Complete(kind, null);
        }
    }

    public BlobText WaitFor(CancellationToken cancellation)
    {
        Wait(cancellation);
        return this;
    }
}

/// <summary>A file version's line hashes, sorted: all a child commit needs to tell which of its lines are new.</summary>
internal sealed class VersionLines(string id) : Awaited
{
    public string Id { get; } = id;

    /// <summary>Null when the version is not text (binary, missing): then every line of the child is new.</summary>
    public ulong[]? Sorted { get; private set; }

    internal long Charged { get; set; }

    public void Complete(BlobKind kind, ulong[]? sorted)
    {
        Sorted = sorted;
        Complete(kind, 0);
    }

    public VersionLines WaitFor(CancellationToken cancellation)
    {
        Wait(cancellation);
        return this;
    }
}

/// <summary>
/// The line hashes of recently scanned versions, so that a child commit's parent version is not
/// read again (commits come oldest first). Bounded in bytes, least recently used forgotten first:
/// memory does not grow with the history's length.
/// </summary>
internal sealed class VersionLinesCache(long budgetBytes)
{
    private readonly Dictionary<UInt128, LinkedListNode<VersionLines>> _byId = [];
    private readonly LinkedList<VersionLines> _recent = new();
    private long _bytes;

    /// <summary>The entry for a version: known, on its way, or — when <paramref name="isNew"/> — for the caller to have filled.</summary>
    public VersionLines Get(string id, out bool isNew)
    {
        UInt128 key = BlobKey.Of(id, 0).Hash;
        lock (_recent)
        {
            if (_byId.TryGetValue(key, out LinkedListNode<VersionLines>? node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                isNew = false;
                return node.Value;
            }

            var lines = new VersionLines(id);
            _byId[key] = _recent.AddFirst(lines);
            isNew = true;
            return lines;
        }
    }

    /// <summary>Counts a filled entry against the budget and forgets the least recently used beyond it.</summary>
    public void Charge(VersionLines lines)
    {
        lock (_recent)
        {
            if (!_byId.TryGetValue(BlobKey.Of(lines.Id, 0).Hash, out LinkedListNode<VersionLines>? node) || node.Value != lines)
            {
                return;
            }

            lines.Charged = 64 + (lines.Sorted?.Length ?? 0) * sizeof(ulong);
            _bytes += lines.Charged;
            while (_bytes > budgetBytes && _recent.Last is { } oldest && oldest.Value != lines)
            {
                _recent.RemoveLast();
                _byId.Remove(BlobKey.Of(oldest.Value.Id, 0).Hash);
                _bytes -= oldest.Value.Charged;
            }
        }
    }
}
